"""A measurement file's repeated keys: on PostgreSQL a file with no other problem is not
grouped on its key before the merge (the unique key meets a repeat, in a savepoint); the
outcome is the same as SQLite's search beforehand: equal repeats taken once, others refusing the
file with every other problem, nothing half-imported."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from ictmonitor.core import bulk
from ictmonitor.core.models import ImportRun
from ictmonitor.measurements import importers, rollups
from ictmonitor.measurements.importers import import_measurements
from ictmonitor.measurements.models import DailyRollup, Measurement
from tests.measurements.test_import import ROWS, refused, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def searched(monkeypatch: Any) -> list[int]:
    """How many times the stage was grouped on the key (once per search)."""
    calls: list[int] = []
    repeated = bulk.repeated_keys

    def counted(*args: Any) -> Any:
        calls.append(1)
        return repeated(*args)
    monkeypatch.setattr(importers, "repeated_keys", counted)
    return calls


def test_a_file_without_repeats_is_searched_on_sqlite_only(tmp_path: Path, line: Any,
                                                           searched: list[int]) -> None:
    assert import_measurements(write(tmp_path, *ROWS), actor="test").created == 6
    assert len(searched) == (connection.vendor == "sqlite")


def test_equal_repeats_are_taken_once(tmp_path: Path, line: Any, searched: list[int]) -> None:
    run = import_measurements(write(tmp_path, ROWS[0], ROWS[1], ROWS[0], ROWS[1]), actor="t")
    assert (run.created, run.unchanged) == (2, 2) and len(searched) == 1
    rollup = DailyRollup.objects.get()
    assert (rollup.speed_tests, rollup.pings, rollup.download_school_hours) == (1, 1, [93.5])


def test_other_values_refuse_with_every_problem(tmp_path: Path, line: Any,
                                                searched: list[int]) -> None:
    other = ROWS[0].replace("93.5", "90")
    six = [f"054321;;pi-{n};2026-03-03T09:{n:02d}:00Z;ping;primary;;;;;;1" for n in range(1, 7)]
    assert refused(write(tmp_path, ROWS[0], other)) == [
        "metingen.csv:3: column measured_at: the same measurement (device, time, kind) as line "
        "2, with other values"]
    assert refused(write(tmp_path, ROWS[0], other, *six)) == [
        "metingen.csv:3: column measured_at: the same measurement (device, time, kind) as line "
        "2, with other values",
        "metingen.csv:9: column device: pi-6 would be a sixth device at this location (at most "
        "5: pi-1, pi-2, pi-3, pi-4, pi-5)"]
    assert ImportRun.objects.filter(status="refused").count() == 2


@pytest.mark.skipif("config.getoption('postgresql') is False")
def test_a_key_stored_meanwhile_by_another_writer_fails_the_file_whole(
        tmp_path: Path, line: Any, monkeypatch: Any) -> None:
    """A writer that does not hold the locations' rows stores a key of the file between its
    check and its insert: the import fails, nothing of it is stored, no rollup counts twice."""
    inserted = importers._inserted

    def meanwhile(cursor: Any, sql: str, params: list[Any]) -> int:
        Measurement.objects.create(  # ROWS[1]'s key
            location=line.location, device="pi-1", measured_at=datetime(2026, 3, 2, 9, 30,
                                                                         tzinfo=UTC),
            kind="ping", path="primary", reachable=True, received_at=timezone.now())
        return inserted(cursor, sql, params)
    monkeypatch.setattr(importers, "_inserted", meanwhile)
    with pytest.raises(IntegrityError):
        import_measurements(write(tmp_path, *ROWS), actor="test")
    assert ImportRun.objects.get(file_name="metingen.csv").status == "failed"
    assert not Measurement.objects.filter(import_run__isnull=False).exists()
    assert not DailyRollup.objects.exists()


def test_the_days_read_by_the_check_are_the_rollups_days(tmp_path: Path, line: Any,
                                                         monkeypatch: Any) -> None:
    """A file of new rows hands the rollups the locations' days its check read; a file with a
    row stored already has them read again, of its new rows only."""
    given: list[Any] = []
    add_staged = rollups.add_staged

    def kept(stage: Any, spans: Any = None) -> int:
        given.append(spans)
        return add_staged(stage, spans)
    monkeypatch.setattr(importers.rollups, "add_staged", kept)
    import_measurements(write(tmp_path, *ROWS[:3]), actor="test")
    assert [(location, str(low), str(high)) for location, low, high in given[0]] == [
        (line.location_id, "2026-03-02", "2026-03-02")]
    import_measurements(write(tmp_path, ROWS[0], ROWS[5]), actor="test")
    assert given[1] is None
    assert sorted(DailyRollup.objects.values_list("location__number", "speed_tests")) == [
        ("1", 1), ("2", 1)]
