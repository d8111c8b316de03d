"""DUO's lists of Dutch school locations, imported exactly as DUO publishes them."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_noop as _

from ictmonitor.core import cells
from ictmonitor.core.bulk import Counts, Stage, insert_missing
from ictmonitor.core.csvfiles import Column
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Contract, Field, Row
from ictmonitor.core.problems import ProblemList
from ictmonitor.registry import geography
from ictmonitor.registry.importers.common import (
    SCHOOL_STAGE,
    SCHOOL_TABLES,
    check_duplicate_locations,
    digits,
    main_rank,
    merge_school_list,
    text,
)

BRIN = re.compile(r"^\d{2}[A-Z]{2}$")
LOCATION = re.compile(r"^[0-9A-Z]{1,20}$")


def brin_code(value: str) -> str:
    """An institution's BRIN code: 2 digits and 2 letters."""
    code = value.upper()
    if not BRIN.match(code):
        raise cells.CellError(_("%(value)r is not a BRIN code (2 digits, 2 letters)"), value=value)
    return code


def location_code(value: str) -> str:
    """A location code (VESTIGINGSCODE), letters and digits."""
    code = value.upper()
    if not LOCATION.match(code):
        raise cells.CellError(_("%(value)r is not a location code"), value=value)
    return code


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
    slice_by = "institution"
    merge_tables = ("registry_province", "registry_municipality", *SCHOOL_TABLES)

    fields = [
        Field("INSTELLINGSCODE", brin_code, remember=False),
        Field("VESTIGINGSCODE", location_code, remember=False),
        Field("VESTIGINGSNAAM", text(300, required=True), remember=False),
        Field("PROVINCIE", text(100, required=True)),
        Field("GEMEENTENUMMER", digits(4, required=True)),
        Field("GEMEENTENAAM", text(100)),
        Field("ONDERWIJSSTRUCTUUR", text(200)),
        Field("DENOMINATIE", text(200)),
        Field("STRAATNAAM", text(200), remember=False),
        Field("HUISNUMMER-TOEVOEGING", text(40)),
        Field("POSTCODE", text(10)),
        Field("PLAATSNAAM", text(100)),
        Field("BEVOEGD GEZAG NUMMER", digits(20)),
        Field("INTERNETADRES", text(300), remember=False),
    ]

    def build(self, values: dict[str, Any], row: Row) -> tuple | None:
        """One DUO row → one staged location with its institution's attributes."""
        v = values
        structure = v["ONDERWIJSSTRUCTUUR"]
        parts = {p.strip().upper() for p in re.split(r"[/,]", structure) if p.strip()}
        denomination = v["DENOMINATIE"]
        return (
            v["INSTELLINGSCODE"], v["VESTIGINGSCODE"], v["VESTIGINGSNAAM"],
            v["VESTIGINGSCODE"].endswith("00"), v["STRAATNAAM"], v["HUISNUMMER-TOEVOEGING"],
            "", v["POSTCODE"], v["PLAATSNAAM"], f"GM{int(v['GEMEENTENUMMER']):04d}",
            geography.slug(v["PROVINCIE"]), None, None, structure, None, None, "NL",
            # A VO file lists each location's structure (PRO, VMBO, HAVO/VWO, VSO); PO has none.
            "secundair" if structure else "basis", "VSO" in parts, structure,
            geography.slug(denomination), denomination, v["BEVOEGD GEZAG NUMMER"], "", "", "",
            v["INTERNETADRES"], "Nederlandstalig", "",
            main_rank(v["VESTIGINGSCODE"].endswith("00"), v["VESTIGINGSCODE"]),
            v["PROVINCIE"], v["GEMEENTENAAM"].title(),
        )

    def check(self, stage: Stage, problems: ProblemList) -> None:
        """No location twice in one file."""
        check_duplicate_locations(stage, problems, "VESTIGINGSCODE")

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Dutch provinces and municipalities come from the file itself; then the schools."""
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
