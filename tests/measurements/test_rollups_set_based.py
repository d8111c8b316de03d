"""Day rollups of days that have none yet are written by one INSERT ... SELECT (a new month's
file); they equal what the rollups made one by one give, and so do the month rollups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from ictmonitor.measurements import rollups
from ictmonitor.measurements.importers import import_measurements
from ictmonitor.measurements.models import DailyRollup, Measurement, MonthlyRollup
from tests.measurements.test_import import ROWS, write

pytestmark = pytest.mark.django_db

MORE = (
    "054321;;pi-1;2026-03-02T10:15:00+01:00;speed;primary;12.5;3;;;;",
    "054321;;pi-1;2026-03-02T11:15:00+01:00;speed;primary;93.12345;0.1;;;;",
    "054321;;pi-1;2026-03-02T12:15:00+01:00;speed;backup;1;1;;;;",
    "054321;;pi-1;2026-03-02T21:15:00+01:00;speed;primary;400;80;;;;",
    "054321;;pi-1;2026-03-31T22:30:00Z;ping;primary;;;;;;1",  # 1 April in Brussels
    "054321;;pi-2;2026-04-01T07:00:00Z;speed;primary;70.25;14;;;;",
    "054321;2;pi-2;2026-04-01T07:05:00Z;ping;primary;;;;;;0",
    "054321;2;pi-2;2026-03-07T09:05:00+01:00;ping;primary;;;;;;1",  # a Saturday
)


def _stored() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def plain(rows: Any) -> list[dict[str, Any]]:
        return sorted(({k: v for k, v in r.items() if k != "id"} for r in rows.values()),
                      key=repr)
    return plain(DailyRollup.objects), plain(MonthlyRollup.objects)


def _counted(monkeypatch: Any) -> list[int]:
    """The rollups each set-based write wrote, as it goes."""
    inserted: list[int] = []
    insert_days = rollups._insert_days

    def counted(table: str) -> int:
        inserted.append(insert_days(table))
        return inserted[-1]
    monkeypatch.setattr(rollups, "_insert_days", counted)
    return inserted


def test_new_days_are_rolled_up_as_one_by_one(tmp_path: Path, line: Any,
                                              monkeypatch: Any) -> None:
    path = write(tmp_path, *ROWS, *MORE)
    inserted = _counted(monkeypatch)
    import_measurements(path, actor="test")
    assert inserted == [DailyRollup.objects.count()] and inserted[0] >= 5
    set_based = _stored()
    assert [12.5, 93.12345, 93.5] in [r["download_school_hours"] for r in set_based[0]]
    Measurement.objects.all().delete()
    DailyRollup.objects.all().delete()
    MonthlyRollup.objects.all().delete()
    monkeypatch.setattr(rollups, "_stored_within", lambda table, spans: True)
    import_measurements(path, actor="test")
    assert _stored() == set_based
    assert len(inserted) == 1


def test_days_with_a_rollup_take_the_rows_one_by_one(tmp_path: Path, line: Any) -> None:
    import_measurements(write(tmp_path, ROWS[0]), actor="test")
    later = "054321;;pi-1;2026-03-02T14:00:00+01:00;speed;primary;40;9;;;;"
    import_measurements(write(tmp_path, later, MORE[5]), actor="test")
    day = DailyRollup.objects.get(line=line, day="2026-03-02")
    assert day.download_school_hours == [40.0, 93.5] and day.speed_tests == 2
    assert DailyRollup.objects.get(line=line, day="2026-04-01").speed_tests == 1


def test_a_speed_sqlite_would_not_write_exactly_takes_them_one_by_one(
        tmp_path: Path, line: Any, monkeypatch: Any) -> None:
    inserted = _counted(monkeypatch)
    import_measurements(write(tmp_path, MORE[0].replace("12.5", "58.12299999999999")),
                        actor="test")
    assert DailyRollup.objects.get().download_school_hours == [58.12299999999999]
    assert len(inserted) == (1 if connection.vendor == "postgresql" else 0)
