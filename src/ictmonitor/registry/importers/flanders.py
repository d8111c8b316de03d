"""The Flemish department's list of school locations, imported exactly as it is published."""

from __future__ import annotations

import re

from ictmonitor.core import cells
from ictmonitor.core.bulk import Counts, Stage
from ictmonitor.core.csvfiles import Column
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Contract, Row
from ictmonitor.core.problems import ProblemList
from ictmonitor.registry import geography
from ictmonitor.registry.importers.common import (
    SCHOOL_STAGE, Cells, check_duplicate_locations, iso, merge_school_list,
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


class FlemishSchools(Contract):
    """contracts/schools.md, Flanders: key schoolnummer + intern_vplnummer."""

    kind = "schools-flanders"
    columns = [Column(n) for n in REQUIRED] + [Column(n, required=False) for n in OPTIONAL]
    stage_columns = SCHOOL_STAGE

    def __init__(self) -> None:
        self.refnis_province = geography.current_province_by_refnis()
        self.postcode_province = geography.province_by_postcode()
        self.postcode_municipality = geography.municipality_by_postcode()
        self.province_names = {geography.slug(p["name_nl"]): p["code"]
                               for p in geography.belgian_provinces()}

    def parse(self, row: Row) -> tuple | None:
        """One published row → one staged location with its institution's attributes."""
        cell = Cells(row)
        institution = cell("schoolnummer", cells.digits, required=True)
        number = cell("intern_vplnummer", cells.digits, required=True)
        name = cell("naam", cells.text, max_length=300, required=True)
        is_main = cell("hoofdzetel", cells.boolean)
        level_text = row.get("onderwijsniveau")
        level = LEVELS.get(level_text.lower())
        if level is None:
            cell.fail("onderwijsniveau",
                      f"{level_text!r} is not one of BaO, SO, VWO, DKO, HO")
        institution_type = cell("instellingstype", cells.text, max_length=200)
        postcode = cell("postcode", cells.digits, max_length=4)
        refnis = cell("niscode", cells.digits, max_length=5)
        if refnis and refnis not in self.refnis_province:
            cell.fail("niscode", f"{refnis} is not a REFNIS municipality code")
        municipality = refnis or self.postcode_municipality.get(postcode or "")
        province = self._province(row, cell, refnis, postcode)
        starts_on = cell("begindatum", cells.day_month_year)
        ends_on = cell("einddatum", cells.day_month_year)
        if starts_on and ends_on and ends_on < starts_on:
            cell.fail("einddatum", f"{ends_on:%d/%m/%Y} is before begindatum")
        network_name = cell("net", cells.text, max_length=200) or ""
        values = (
            institution, number, name, is_main,
            cell("straat", cells.text, max_length=200), cell("huisnummer", cells.text,
                                                             max_length=40),
            cell("busnummer", cells.text, max_length=40), postcode,
            cell("gemeente", cells.text, max_length=100), municipality or None, province,
            cell("lx", cells.coordinate), cell("ly", cells.coordinate),
            cell("ingerichte hoofdstructuren", cells.text, max_length=4000),
            iso(starts_on), iso(ends_on), "BE", level,
            "buitengewoon" in (institution_type or "").lower(), institution_type,
            geography.slug(network_name), network_name,
            cell("bestuur", cells.digits, max_length=20),
            cell("scholengemeenschap", cells.digits, max_length=20),
            cell("clb", cells.digits, max_length=20),
            _company_number(row.get("kbo-nummer")),
            cell("website", cells.text, max_length=300),
            cell("taalstelsel", cells.text, max_length=100),
            cell("status erkenning", cells.text, max_length=10),
        )
        return values if cell.ok else None

    def _province(self, row: Row, cell: Cells, refnis: str | None,
                  postcode: str | None) -> str | None:
        """The published province; where blank, the one its REFNIS code or postcode lies in."""
        code, name = row.get("provinciecode"), row.get("provincie")
        if code or name:
            found = (geography.DEPARTMENT_PROVINCE_CODES.get(code.upper())
                     or self.province_names.get(geography.slug(name)))
            if found is None:
                cell.fail("provinciecode", f"{code!r} ({name!r}) is not a known province")
            return found
        if refnis:
            return self.refnis_province.get(refnis)
        if postcode and postcode in self.postcode_province:
            return self.postcode_province[postcode]
        cell.fail("provinciecode",
                  "is empty, and neither niscode nor postcode names a Belgian municipality")
        return None

    def check(self, stage: Stage, problems: ProblemList) -> None:
        """No location twice in one file."""
        check_duplicate_locations(stage, problems, "intern_vplnummer")

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Write the staged rows."""
        return merge_school_list(stage, run)


def _company_number(value: str) -> str:
    """'"KBO  0267.377.629"' → '0267377629'."""
    found = re.sub(r"\D", "", value)
    return found[-10:] if found else ""
