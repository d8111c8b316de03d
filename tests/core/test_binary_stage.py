"""A stage of typed values (`Stage(binary=True)`) is copied in COPY's binary format on
PostgreSQL and holds what the text path stages: every column type, empty values, floats to the
last bit, its dates given as dates where the text path takes ISO text (SQLite ignores the
format: its one path, with text)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from ictmonitor.core.bulk import BIGINT, BOOL, DATE, FLOAT, INT, TEXT, Stage, fetch, quote

pytestmark = pytest.mark.django_db

COLUMNS = [("n", INT), ("big", BIGINT), ("word", TEXT), ("day", DATE), ("yes", BOOL),
           ("x", FLOAT)]
ROWS = [
    (1, 7, 2**40, "pi-1", date(2026, 3, 2), True, 0.1 + 0.2),
    (2, -3, None, "tab\there, \\ and é", date(2026, 3, 29), False, 5e-324),
    (3, None, 0, "", None, None, None),
    (4, 0, -(2**62), "2026-03-02 06:07:43+00:00", date(2099, 12, 31), True, 93.12345),
]


def _staged(binary: bool) -> list[tuple]:
    stage = Stage("stage_binary_test", COLUMNS, binary=binary)
    rows = [row if stage.binary else (*row[:4], row[4] and row[4].isoformat(), *row[5:])
            for row in ROWS]
    try:
        stage.insert(rows)
        return list(fetch(f"SELECT * FROM {quote(stage.name)} ORDER BY line"))
    finally:
        Stage.drop_table(stage.name)


def test_a_binary_stage_holds_what_the_text_path_holds() -> None:
    binary = _staged(True)
    assert binary == _staged(False)
    assert binary[0][6] == 0.1 + 0.2 and binary[1][6] == 5e-324
    assert binary[1][3] == "tab\there, \\ and é" and binary[2][3] == ""
    assert [str(row[4]) for row in binary] == ["2026-03-02", "2026-03-29", "None",
                                               "2099-12-31"]


def test_only_postgresql_copies_binary() -> None:
    stage = Stage("stage_binary_test", COLUMNS, binary=True)
    Stage.drop_table(stage.name)
    assert stage.binary == (connection.vendor == "postgresql")
    assert not Stage("stage_binary_test", COLUMNS).binary
    Stage.drop_table("stage_binary_test")
