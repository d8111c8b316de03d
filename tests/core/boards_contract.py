"""A small contract over the boards table, for testing core's pipeline and upsert by themselves:
`code;name;members`, the code a key that may appear once in a file."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ictmonitor.core import cells
from ictmonitor.core.bulk import INT, TEXT, Counts, Stage, Upsert, repeated_keys
from ictmonitor.core.csvfiles import Column
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Contract, Field, Row
from ictmonitor.core.problems import ProblemList

STAMP = {"created_at": timezone.make_aware(timezone.datetime(2024, 1, 1)),
         "updated_at": timezone.make_aware(timezone.datetime(2024, 1, 1)),
         "changed_by": "test"}


def upsert(stage: str) -> Upsert:
    """The boards upsert from a staging table with `code` and `name`."""
    return Upsert(table="registry_board", label="registry.board", key=["code"], values=["name"],
                  source=f"SELECT code, name, code AS audit_key FROM {stage}")


class Boards(Contract):
    """Boards by code with their name; `members` must be a whole number (it is not stored)."""

    kind = "test-boards"
    columns = (Column("code"), Column("name", aliases=("naam",)),
               Column("members", required=False))
    fields = (Field("code", lambda v: cells.digits(v, max_length=20, required=True)),
              Field("name", lambda v: cells.text(v, max_length=200)),
              Field("members", lambda v: cells.whole_number(v, required=False)))
    stage_columns = (("code", TEXT), ("name", TEXT), ("members", INT))

    def build(self, values: dict[str, Any], row: Row) -> tuple | None:
        """A board named after itself is refused: a check across cells."""
        if values["name"] and values["name"] == values["code"]:
            row.problem("name", "is the board's number, not its name")
            return None
        return values["code"], values["name"], values["members"]

    def check(self, stage: Stage, problems: ProblemList) -> None:
        """A code may appear once in a file."""
        for line, first in repeated_keys(stage, ["code"]):
            problems.add(line, "code", f"repeats line {first}")

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Write the boards, auditing every change."""
        return upsert(stage.name).run(run, timezone.now())

