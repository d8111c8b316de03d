"""Pupil counts per location, school year and level (contracts/enrolments.md)."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ictmonitor.core import cells
from ictmonitor.core.bulk import INT, TEXT, Counts, Stage, Upsert, fetch, quote, repeated_keys
from ictmonitor.core.csvfiles import Column
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Contract, Field, Row
from ictmonitor.core.problems import ProblemList
from ictmonitor.registry.importers.common import one_of, text
from ictmonitor.registry.models import EnrolmentLevel

SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def school_year(value: str) -> str:
    """A school year written like 2023-2024."""
    match = SCHOOL_YEAR.match(value)
    if not match or int(match[2]) != int(match[1]) + 1:
        raise cells.CellError(_("%(value)r is not a school year like 2023-2024"), value=value)
    return value


class Enrolments(Contract):
    """Key: schoolnummer + intern_vplnummer + schooljaar + niveau."""

    kind = "enrolments"
    columns = [Column("schoolnummer"), Column("intern_vplnummer"), Column("schooljaar"),
               Column("niveau"), Column("leerlingen")]
    stage_columns = [("institution", TEXT), ("location", TEXT), ("school_year", TEXT),
                     ("level", TEXT), ("pupils", INT)]
    slice_by = "institution"
    merge_tables = ("registry_enrolment",)

    fields = [
        Field("schoolnummer", lambda v: text(20, required=True)(v).upper(), remember=False),
        Field("intern_vplnummer", lambda v: text(20, required=True)(v).upper()),
        Field("schooljaar", school_year),
        Field("niveau", one_of({v: v for v in EnrolmentLevel.values},
                               ", ".join(EnrolmentLevel.values))),
        Field("leerlingen", cells.whole_number),
    ]

    def build(self, values: dict[str, Any], row: Row) -> tuple | None:
        """One row → one staged count."""
        return (values["schoolnummer"], values["intern_vplnummer"], values["schooljaar"],
                values["niveau"], values["leerlingen"])

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
                problems.add(line, "schoolnummer", _("%(school)s is not a known school"),
                             school=institution)
            else:
                problems.add(line, "intern_vplnummer",
                             _("school %(school)s has no location %(location)s"),
                             school=institution, location=location)
        key = ["institution", "location", "school_year", "level"]
        for line, first in repeated_keys(stage, key):
            problems.add(line, "niveau", _("this count is already on line %(first)s"), first=first)

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
