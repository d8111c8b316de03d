"""The Flemish department's list of school locations, imported exactly as it is published."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_noop as _

from ictmonitor.core import cells
from ictmonitor.core.bulk import Counts, Stage
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
    iso,
    main_rank,
    merge_school_list,
    one_of,
    text,
)

LEVELS = {"bao": "basis", "so": "secundair", "vwo": "volwassenen", "dko": "deeltijds-kunst",
          "ho": "hoger"}
REQUIRED = ["schoolnummer", "intern_vplnummer", "naam", "hoofdzetel", "postcode", "gemeente",
            "niscode", "provinciecode", "provincie", "onderwijsniveau", "instellingstype"]
OPTIONAL = ["net", "adres", "straat", "huisnummer", "busnummer", "VWO-vestigingsplaatscode",
            "crab-code", "crab-huisnr", "lx", "ly", "kbo-nummer", "website", "soort instelling",
            "begindatum", "einddatum", "status erkenning", "clb", "bestuur",
            "scholengemeenschap", "taalstelsel", "ingerichte hoofdstructuren",
            # These name or reach persons: known, so not reported as unknown, and never read.
            "beheerder(s)", "telefoon", "fax", "e-mail"]


def institution_type(value: str) -> tuple[str, bool]:
    """The type as published, and whether it is special education (buitengewoon)."""
    return cells.text(value, max_length=200), "buitengewoon" in value.lower()


def network(value: str) -> tuple[str, str]:
    """The network's name as published, and its report code."""
    return cells.text(value, max_length=200), geography.slug(value)


def company_number(value: str) -> str:
    """'"KBO  0267.377.629"' → '0267377629'."""
    found = re.sub(r"\D", "", value)
    return found[-10:] if found else ""


class FlemishSchools(Contract):
    """contracts/schools.md, Flanders: key schoolnummer + intern_vplnummer."""

    kind = "schools-flanders"
    columns = [Column(n) for n in REQUIRED] + [Column(n, required=False) for n in OPTIONAL]
    stage_columns = SCHOOL_STAGE
    slice_by = "institution"
    merge_tables = SCHOOL_TABLES

    def __init__(self) -> None:
        self.refnis_province = geography.current_province_by_refnis()
        self.postcode_province = geography.province_by_postcode()
        self.postcode_municipality = geography.municipality_by_postcode()
        self.province_names = {geography.slug(p["name_nl"]): p["code"]
                               for p in geography.belgian_provinces()}
        self.published: dict[tuple[str, str], str] = {}  # (provinciecode, provincie) → code
        self.fields = [
            Field("schoolnummer", digits(10, required=True), remember=False),
            Field("intern_vplnummer", digits(10, required=True)),
            Field("naam", text(300, required=True), remember=False),
            Field("hoofdzetel", cells.boolean),
            Field("onderwijsniveau", one_of(LEVELS, "BaO, SO, VWO, DKO, HO")),
            Field("instellingstype", institution_type),
            Field("straat", text(200), remember=False),
            Field("huisnummer", text(40)),
            Field("busnummer", text(40)),
            Field("postcode", digits(4)),
            Field("gemeente", text(100)),
            Field("niscode", self.refnis),
            Field("lx", cells.coordinate, remember=False),
            Field("ly", cells.coordinate, remember=False),
            Field("ingerichte hoofdstructuren", text(4000)),
            Field("begindatum", cells.day_month_year),
            Field("einddatum", cells.day_month_year),
            Field("net", network),
            Field("bestuur", digits(20)),
            Field("scholengemeenschap", digits(20)),
            Field("clb", digits(20)),
            Field("kbo-nummer", company_number),
            Field("website", text(300), remember=False),
            Field("taalstelsel", text(100)),
            Field("status erkenning", text(10)),
        ]

    def refnis(self, value: str) -> str:
        """A REFNIS municipality code, current or merged away in 2025."""
        if value and value not in self.refnis_province:
            raise cells.CellError(_("%(value)s is not a REFNIS municipality code"), value=value)
        return value

    def build(self, values: dict[str, Any], row: Row) -> tuple | None:
        """One published row → one staged location with its institution's attributes."""
        v = values
        starts_on, ends_on = v["begindatum"], v["einddatum"]
        if starts_on and ends_on and ends_on < starts_on:
            row.problem("einddatum", _("%(later)s is before %(column)s"),
                        later=f"{ends_on:%d/%m/%Y}", column="begindatum")
            return None
        province = self._province(row, v["niscode"], v["postcode"])
        if province is None:
            return None
        municipality = v["niscode"] or self.postcode_municipality.get(v["postcode"])
        type_name, special = v["instellingstype"]
        network_name, network_code = v["net"]
        return (
            v["schoolnummer"], v["intern_vplnummer"], v["naam"], v["hoofdzetel"], v["straat"],
            v["huisnummer"], v["busnummer"], v["postcode"], v["gemeente"], municipality,
            province, v["lx"], v["ly"], v["ingerichte hoofdstructuren"], iso(starts_on),
            iso(ends_on), "BE", v["onderwijsniveau"], special, type_name, network_code,
            network_name, v["bestuur"], v["scholengemeenschap"], v["clb"], v["kbo-nummer"],
            v["website"], v["taalstelsel"], v["status erkenning"],
            main_rank(v["hoofdzetel"], v["intern_vplnummer"]),
        )

    def _province(self, row: Row, refnis: str, postcode: str) -> str | None:
        """The published province; where blank, the one its REFNIS code or postcode lies in."""
        code, name = row.get("provinciecode"), row.get("provincie")
        if code or name:
            found = self.published.get((code, name))
            if found is None:
                found = (geography.DEPARTMENT_PROVINCE_CODES.get(code.upper())
                         or self.province_names.get(geography.slug(name)))
                if found is None:
                    row.problem("provinciecode", _("%(code)r (%(name)r) is not a known province"),
                                code=code, name=name)
                    return None
                self.published[(code, name)] = found  # a handful of spellings: read once
            return found
        if refnis:
            return self.refnis_province[refnis]
        if postcode in self.postcode_province:
            return self.postcode_province[postcode]
        row.problem("provinciecode", _("is empty, and neither niscode nor postcode names a "
                                       "Belgian municipality"))
        return None

    def check(self, stage: Stage, problems: ProblemList) -> None:
        """No location twice in one file."""
        check_duplicate_locations(stage, problems, "intern_vplnummer")

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Write the staged rows."""
        return merge_school_list(stage, run)
