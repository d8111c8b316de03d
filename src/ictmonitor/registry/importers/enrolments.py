"""Pupil counts per location, school year and level (contracts/enrolments.md)."""

from __future__ import annotations

import re

from django.utils import timezone

from ictmonitor.core import cells
from ictmonitor.core.bulk import INT, TEXT, Counts, Stage, Upsert, fetch, quote
from ictmonitor.core.csvfiles import Column
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Contract, Row
from ictmonitor.core.problems import ProblemList
from ictmonitor.registry.importers.common import Cells
from ictmonitor.registry.models import EnrolmentLevel

SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


class Enrolments(Contract):
    """Key: schoolnummer + intern_vplnummer + schooljaar + niveau."""

    kind = "enrolments"
    columns = [Column("schoolnummer"), Column("intern_vplnummer"), Column("schooljaar"),
               Column("niveau"), Column("leerlingen")]
    stage_columns = [("institution", TEXT), ("location", TEXT), ("school_year", TEXT),
                     ("level", TEXT), ("pupils", INT)]

    def parse(self, row: Row) -> tuple | None:
        """One row → one staged count."""
        cell = Cells(row)
        institution = cell("schoolnummer", cells.text, max_length=20, required=True)
        location = cell("intern_vplnummer", cells.text, max_length=20, required=True)
        year = row.get("schooljaar")
        match = SCHOOL_YEAR.match(year)
        if not match or int(match[2]) != int(match[1]) + 1:
            cell.fail("schooljaar", f"{year!r} is not a school year like 2023-2024")
        level = row.get("niveau").lower()
        if level not in EnrolmentLevel.values:
            cell.fail("niveau", f"{level!r} is not one of {', '.join(EnrolmentLevel.values)}")
        pupils = cell("leerlingen", cells.whole_number, minimum=0)
        return ((institution or "").upper(), (location or "").upper(), year, level, pupils) \
            if cell.ok else None

    def check(self, stage: Stage, problems: ProblemList) -> None:
        """Every row names a known school and location, and each count appears once."""
        table = quote(stage.name)
        unknown = fetch(
            f"SELECT s.line, s.institution, s.location, i.id FROM {table} s "
            f"LEFT JOIN registry_institution i ON i.number = s.institution "
            f"LEFT JOIN registry_location l ON l.institution_id = i.id AND l.number = s.location "
            f"WHERE l.id IS NULL ORDER BY s.line"
        )
        for line, institution, location, institution_id in unknown:
            if institution_id is None:
                problems.add(line, "schoolnummer", f"{institution} is not a known school")
            else:
                problems.add(line, "intern_vplnummer",
                             f"school {institution} has no location {location}")
        duplicates = fetch(
            f"SELECT s.line, d.first FROM {table} s JOIN (SELECT institution, location, "
            f"school_year, level, min(line) AS first FROM {table} GROUP BY institution, "
            f"location, school_year, level HAVING count(*) > 1) d ON d.institution = "
            f"s.institution AND d.location = s.location AND d.school_year = s.school_year "
            f"AND d.level = s.level WHERE s.line <> d.first ORDER BY s.line"
        )
        for line, first in duplicates:
            problems.add(line, "niveau", f"this count is already on line {first}")

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Write the counts."""
        return Upsert(
            table="registry_enrolment", label="registry.enrolment",
            key=["location_id", "school_year", "level"], values=["pupils"],
            source=(
                "SELECT l.id AS location_id, s.school_year, s.level, s.pupils, "
                "s.institution || '/' || s.location || '/' || s.school_year || '/' || s.level "
                f"AS audit_key FROM {quote(stage.name)} s "
                "JOIN registry_institution i ON i.number = s.institution "
                "JOIN registry_location l ON l.institution_id = i.id AND l.number = s.location"
            ),
        ).run(run, timezone.now())
