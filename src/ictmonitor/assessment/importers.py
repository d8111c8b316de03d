"""Label awards carried over from an earlier programme (contracts/labels.md), on the shared
import pipeline: `schoolnummer;level;awarded_on;valid_until`, key schoolnummer + awarded_on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ictmonitor.assessment import labels
from ictmonitor.assessment.services.labels import give_tokens
from ictmonitor.core import cells
from ictmonitor.core.bulk import (
    DATE,
    TEXT,
    Counts,
    Stage,
    Upsert,
    fetch,
    quote,
    repeated_keys,
    vendor,
)
from ictmonitor.core.csvfiles import Column
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Contract, Field, Progress, Row, run_import
from ictmonitor.core.problems import ProblemList

COLUMNS = ("schoolnummer", "level", "awarded_on", "valid_until")


def _level(value: str) -> str:
    """`iron`, `bronze`, `silver` or `gold`."""
    if value not in labels.LEVELS:
        raise cells.CellError(_("%(value)r is not one of %(allowed)s"), value=value,
                              allowed=", ".join(labels.LEVELS))
    return value


def _awarded(value: str) -> Any:
    """A required YYYY-MM-DD date."""
    if not value:
        raise cells.CellError(_("is empty; the day the label was awarded is required"))
    return cells.iso_date(value)


class Labels(Contract):
    """Carried-over label awards; an unknown school refuses the whole file."""

    kind = "labels"
    columns = [Column(name) for name in COLUMNS]
    stage_columns = [("institution", TEXT), ("level", TEXT), ("awarded_on", DATE),
                     ("valid_until", DATE)]
    fields = [
        Field("schoolnummer", lambda v: cells.text(v, max_length=20, required=True).upper()),
        Field("level", _level),
        Field("awarded_on", _awarded),
        Field("valid_until", cells.iso_date),
    ]

    def build(self, values: dict[str, Any], row: Row) -> tuple | None:
        """An empty valid_until is awarded_on + 18 months; it may not be before awarded_on."""
        awarded, until = values["awarded_on"], values["valid_until"]
        if until is None:
            until = labels.valid_until(awarded, labels.DEFAULT_VALIDITY_MONTHS)
        elif until < awarded:
            row.problem("valid_until", _("%(later)s is before %(column)s %(earlier)s"),
                        later=str(until), column="awarded_on", earlier=str(awarded))
            return None
        return (values["schoolnummer"], values["level"], awarded.isoformat(), until.isoformat())

    def check(self, stage: Stage, problems: ProblemList) -> None:
        """Every school is known; each schoolnummer + awarded_on appears once and is not a
        label earned here (an import would turn it into a carried-over one)."""
        table = quote(stage.name)
        unknown = fetch(
            f"SELECT s.line, s.institution FROM {table} s LEFT JOIN registry_institution i "
            f"ON i.number = s.institution WHERE i.id IS NULL ORDER BY s.line")
        for line, institution in unknown:
            problems.add(line, "schoolnummer", _("%(school)s is not a known school"),
                         school=institution)
        for line, first in repeated_keys(stage, ["institution", "awarded_on"]):
            problems.add(line, "awarded_on", _("this school's award of that day is already on "
                                               "line %(first)s"), first=first)
        earned_here = fetch(
            f"SELECT s.line FROM {table} s JOIN registry_institution i ON i.number = "
            "s.institution JOIN assessment_label l ON l.institution_id = i.id AND "
            "l.awarded_on = s.awarded_on WHERE NOT l.carried_over ORDER BY s.line")
        for (line,) in earned_here:
            problems.add(line, "awarded_on", _("this school earned a label on this platform "
                                               "that day; a carried-over award cannot replace "
                                               "it"))

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Write the labels, then give new ones their verification token."""
        counts = Upsert(
            table="assessment_label", label="assessment.label",
            key=["institution_id", "awarded_on"],
            values=["level", "valid_until", "carried_over"],
            source=(
                "SELECT i.id AS institution_id, s.awarded_on, s.level, s.valid_until, "
                "s.institution || '/' || s.awarded_on AS audit_key, "
                f"{_true()} AS carried_over FROM {quote(stage.name)} s "
                "JOIN registry_institution i ON i.number = s.institution"),
            count_sql=f"SELECT count(*) FROM {quote(stage.name)}",
        ).run(run, timezone.now())
        run.details = {"labels": vars(counts), "tokens_given": give_tokens()}
        return counts


def _true() -> str:
    """TRUE as the database writes a boolean (SQLite keeps 1)."""
    return "true" if vendor() == "postgresql" else "1"


def import_labels(path: Path, *, actor: str, user: Any = None, progress: Progress | None = None,
                  display_name: str | None = None) -> ImportRun:
    """Import a carried-over label file whole, or refuse it whole listing its problems."""
    return run_import(Labels(), path, actor=actor, user=user, progress=progress,
                      display_name=display_name)
