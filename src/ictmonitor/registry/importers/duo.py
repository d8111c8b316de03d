"""DUO's lists of Dutch school locations, imported exactly as DUO publishes them."""

from __future__ import annotations

import re

from django.utils import timezone

from ictmonitor.core import cells
from ictmonitor.core.bulk import Counts, Stage, insert_missing
from ictmonitor.core.csvfiles import Column
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Contract, Row
from ictmonitor.core.problems import ProblemList
from ictmonitor.registry import geography
from ictmonitor.registry.importers.common import (
    SCHOOL_STAGE, Cells, check_duplicate_locations, merge_school_list,
)

BRIN = re.compile(r"^\d{2}[A-Z]{2}$")


class DuoSchools(Contract):
    """contracts/schools.md, Netherlands: key INSTELLINGSCODE (or BRIN NUMMER) + VESTIGINGSCODE."""

    kind = "schools-duo"
    encodings = ("utf-8", "latin-1")
    columns = [
        Column("PROVINCIE"),
        Column("BEVOEGD GEZAG NUMMER"),
        Column("INSTELLINGSCODE", aliases=("BRIN NUMMER",)),
        Column("VESTIGINGSCODE"),
        Column("VESTIGINGSNAAM", aliases=("INSTELLINGSNAAM",)),
        Column("STRAATNAAM"),
        Column("HUISNUMMER-TOEVOEGING"),
        Column("POSTCODE"),
        Column("PLAATSNAAM"),
        Column("GEMEENTENUMMER"),
        Column("GEMEENTENAAM"),
        Column("DENOMINATIE", required=False),
        Column("ONDERWIJSSTRUCTUUR", required=False),
        Column("INTERNETADRES", required=False),
        # Reaches persons: known, never read.
        Column("TELEFOONNUMMER", required=False),
    ] + [Column(name, required=False) for name in (
        "STRAATNAAM CORRESPONDENTIEADRES", "HUISNUMMER-TOEVOEGING CORRESPONDENTIEADRES",
        "POSTCODE CORRESPONDENTIEADRES", "PLAATSNAAM CORRESPONDENTIEADRES", "NODAAL GEBIED CODE",
        "NODAAL GEBIED NAAM", "RPA-GEBIED CODE", "RPA-GEBIED NAAM", "WGR-GEBIED CODE",
        "WGR-GEBIED NAAM", "COROPGEBIED CODE", "COROPGEBIED NAAM", "ONDERWIJSGEBIED CODE",
        "ONDERWIJSGEBIED NAAM", "RMC-REGIO CODE", "RMC-REGIO NAAM", "VAKANTIEREGIO")]
    stage_columns = [*SCHOOL_STAGE, ("province_name", "text"), ("municipality_name", "text")]

    def parse(self, row: Row) -> tuple | None:
        """One DUO row → one staged location with its institution's attributes."""
        cell = Cells(row)
        brin = row.get("INSTELLINGSCODE").upper()
        if not BRIN.match(brin):
            cell.fail("INSTELLINGSCODE", f"{brin!r} is not a BRIN code (2 digits, 2 letters)")
        location = row.get("VESTIGINGSCODE").upper()
        if not re.fullmatch(r"[0-9A-Z]{1,20}", location):
            cell.fail("VESTIGINGSCODE", f"{location!r} is not a location code")
        province_name = cell("PROVINCIE", cells.text, max_length=100, required=True)
        municipality_number = cell("GEMEENTENUMMER", cells.digits, max_length=4, required=True)
        structure = cell("ONDERWIJSSTRUCTUUR", cells.text, max_length=200) or ""
        parts = {p.strip().upper() for p in re.split(r"[/,]", structure) if p.strip()}
        denomination = cell("DENOMINATIE", cells.text, max_length=200) or ""
        values = (
            brin, location,
            cell("VESTIGINGSNAAM", cells.text, max_length=300, required=True),
            location.endswith("00"),
            cell("STRAATNAAM", cells.text, max_length=200),
            cell("HUISNUMMER-TOEVOEGING", cells.text, max_length=40), "",
            cell("POSTCODE", cells.text, max_length=10),
            cell("PLAATSNAAM", cells.text, max_length=100),
            f"GM{int(municipality_number):04d}" if municipality_number else None,
            geography.slug(province_name or ""), None, None, structure, None, None, "NL",
            "secundair" if structure else "basis",
            "VSO" in parts, structure, geography.slug(denomination), denomination,
            cell("BEVOEGD GEZAG NUMMER", cells.digits, max_length=20), "", "", "",
            cell("INTERNETADRES", cells.text, max_length=300), "Nederlandstalig", "",
            province_name, (cell("GEMEENTENAAM", cells.text, max_length=100) or "").title(),
        )
        return values if cell.ok else None

    def check(self, stage: Stage, problems: ProblemList) -> None:
        """No location twice in one file."""
        check_duplicate_locations(stage, problems, "VESTIGINGSCODE")

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Dutch provinces and municipalities come from the file itself; then the schools."""
        now = timezone.now()
        insert_missing(
            "registry_province", "code", ["name_nl", "name_en", "country", "refnis"],
            f"SELECT province AS code, min(province_name) AS name_nl, min(province_name) "
            f"AS name_en, 'NL' AS country, '' AS refnis FROM {stage.name} GROUP BY province",
        )
        insert_missing(
            "registry_municipality", "code", ["name_nl", "name_fr", "province_id"],
            f"SELECT municipality AS code, min(municipality_name) AS name_nl, '' AS name_fr, "
            f"min(province) AS province_id FROM {stage.name} GROUP BY municipality",
        )
        return merge_school_list(stage, run)
