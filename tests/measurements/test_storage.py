"""Storage of raw measurements: rollups equal a recomputation from the raw rows however they came
in (files, agents, resends); raw rows older than the retention go (whole monthly partitions on
PostgreSQL, batches on SQLite) while the rollups stay; each month has its own partition."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ictmonitor.measurements import partitioning
from ictmonitor.measurements.importers import Measurements, import_measurements
from ictmonitor.measurements.ingest import ingest
from ictmonitor.measurements.models import DailyRollup, Measurement, MonthlyRollup
from tests.measurements.test_import import HEADER

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
COUNTED = ("speed_tests", "speed_tests_school_hours", "download_school_hours",
           "upload_school_hours", "pings", "pings_reachable", "pings_school_hours",
           "pings_reachable_school_hours", "failovers", "returns", "first_measured_at",
           "last_measured_at")


def row(moment: datetime, kind: str, *, location: str = "", device: str = "pi-1",
        path: str = "primary", down: float | None = None, up: float | None = None,
        reachable: int | None = None) -> str:
    cells = ["054321", location, device, moment.isoformat(), kind, path,
             "" if down is None else repr(down), "" if up is None else repr(up), "", "", "",
             "" if reachable is None else str(reachable)]
    return ";".join(cells)


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def a_fortnight(start: datetime, seed: int) -> list[str]:
    """Every 40 minutes for two weeks: speed tests, pings (now and then unreachable) and a
    failover and return now and then, on both locations, in and out of school hours."""
    rows, moment, n = [], start, seed
    while moment < start + timedelta(days=14):
        n += 1
        location = "2" if n % 7 == 0 else ""
        if n % 3 == 0:
            rows.append(row(moment, "speed", location=location, down=50 + n % 23 + n / 1000,
                            up=10 + n % 5))
        elif n % 11 == 0:
            rows.append(row(moment, "failover", path="backup"))
            rows.append(row(moment + timedelta(minutes=13), "failover"))
        else:
            rows.append(row(moment, "ping", location=location, reachable=int(n % 9 != 0)))
        moment += timedelta(minutes=40)
    return rows


def recomputed() -> dict[tuple[Any, ...], dict[str, Any]]:
    """The rollups as the contract defines them, straight from every raw row."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(lambda: {
        "speed_tests": 0, "speed_tests_school_hours": 0, "download_school_hours": [],
        "upload_school_hours": [], "pings": 0, "pings_reachable": 0, "pings_school_hours": 0,
        "pings_reachable_school_hours": 0, "failovers": 0, "returns": 0,
        "first_measured_at": None, "last_measured_at": None})
    for m in Measurement.objects.all():
        local = m.measured_at.astimezone(BRUSSELS)
        school = local.weekday() < 5 and 8 <= local.hour < 17
        g = groups[(m.location_id, m.line_id, local.date())]
        if m.kind == "speed":
            g["speed_tests"] += 1
            if school and m.path == "primary":
                g["speed_tests_school_hours"] += 1
                g["download_school_hours"].append(m.download_mbps)
                g["upload_school_hours"].append(m.upload_mbps)
        elif m.kind == "ping":
            g["pings"] += 1
            g["pings_reachable"] += bool(m.reachable)
            g["pings_school_hours"] += school
            g["pings_reachable_school_hours"] += school and bool(m.reachable)
        else:
            g["failovers" if m.path == "backup" else "returns"] += 1
        first, last = g["first_measured_at"], g["last_measured_at"]
        g["first_measured_at"] = m.measured_at if first is None else min(first, m.measured_at)
        g["last_measured_at"] = m.measured_at if last is None else max(last, m.measured_at)
    for g in groups.values():
        g["download_school_hours"].sort()
        g["upload_school_hours"].sort()
    return dict(groups)


def stored() -> dict[tuple[Any, ...], dict[str, Any]]:
    return {(r.location_id, r.line_id, r.day): {name: getattr(r, name) for name in COUNTED}
            for r in DailyRollup.objects.all()}


def recomputed_months() -> dict[tuple[Any, ...], dict[str, Any]]:
    """The month rollups as the contract defines them, straight from every raw row: counts
    summed, and the month's measured speed the median of its school-hour primary tests."""
    months: dict[tuple[Any, ...], dict[str, Any]] = {}
    for (location_id, line_id, day), figures in recomputed().items():
        key = (location_id, line_id, day.replace(day=1))
        month = months.setdefault(key, {name: [] if name.endswith("hours") and "load" in name
                                        else 0 for name in COUNTED if "measured_at" not in name})
        for name, value in figures.items():
            if name.endswith("_measured_at"):
                pick = min if name.startswith("first") else max
                month[name] = pick(month.get(name, value), value)
            else:
                month[name] = month[name] + value
    return {key: {**{k: v for k, v in month.items() if "load" not in k},
                  "measured_download": statistics.median(month["download_school_hours"])
                  if month["download_school_hours"] else None,
                  "measured_upload": statistics.median(month["upload_school_hours"])
                  if month["upload_school_hours"] else None}
            for key, month in months.items()}


def stored_months() -> dict[tuple[Any, ...], dict[str, Any]]:
    names = [n for n in COUNTED if "load" not in n] + ["measured_download", "measured_upload"]
    return {(r.location_id, r.line_id, r.month): {name: getattr(r, name) for name in names}
            for r in MonthlyRollup.objects.all()}


def test_rollups_equal_a_recomputation_from_raw_rows(tmp_path: Path, device: Any) -> None:
    token, _secret = device
    start = datetime(2026, 2, 23, 6, 5, tzinfo=BRUSSELS)  # a Monday; DST starts 29 March
    rows = a_fortnight(start, 0)
    import_measurements(write(tmp_path, "first.csv", rows[: len(rows) // 2]), actor="test")
    # an agent posts part of the same days (some of it sent by the file already)
    items = [{"measured_at": (start + timedelta(days=3, minutes=20 * n)).isoformat(),
              "kind": "speed", "path": "primary", "download_mbps": 70 + n % 13,
              "upload_mbps": 20.5} for n in range(120)]
    ingest(token, items)
    # the whole fortnight again (half of it stored), a week into March, and the DST change
    later = a_fortnight(datetime(2026, 3, 25, 0, 10, tzinfo=BRUSSELS), 5)
    run = import_measurements(write(tmp_path, "all.csv", rows + later), actor="test")
    assert run.unchanged == len(rows) // 2 and run.created == len(rows) - len(rows) // 2 + len(
        later)
    ingest(token, items[:10] + [{**items[0], "measured_at": "2026-03-29T12:00:00+02:00"}])
    expected = recomputed()
    assert len(expected) > 50
    assert stored() == expected
    months = recomputed_months()
    assert len(months) == 6  # two locations (a line at the first), February to April
    assert stored_months() == months


def test_retention_removes_old_raw_rows_and_keeps_rollups(tmp_path: Path, line: Any) -> None:
    now = timezone.now()
    old = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)
    recent = now - timedelta(days=2)
    import_measurements(write(tmp_path, "m.csv", [
        row(old, "speed", down=80.0, up=20.0), row(old + timedelta(hours=1), "ping", reachable=1),
        row(recent, "ping", reachable=1)]), actor="test")
    rollups = stored()
    done = partitioning.prune(400)
    assert [m.measured_at for m in Measurement.objects.all()] == [recent]
    assert stored() == rollups  # rollups are kept for ever
    if partitioning.is_partitioned():
        assert any("2024" in name for name in done["partitions_dropped"])
        assert not any("2024_01" in n or "202401" in n for n in partitioning.partitions())
    else:
        assert done["rows_deleted"] == 2


def test_retention_on_sqlite_deletes_in_batches(tmp_path: Path, line: Any, settings: Any,
                                                monkeypatch: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite deletes rows; PostgreSQL drops partitions")
    monkeypatch.setattr(partitioning, "DELETE_BATCH", 3)
    base = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    import_measurements(write(tmp_path, "m.csv", [
        row(base + timedelta(minutes=15 * n), "ping", reachable=1) for n in range(10)]),
        actor="test")
    settings.MEASUREMENTS_RETENTION_DAYS = 30
    done = partitioning.prune(now=base + timedelta(days=30, minutes=15 * 4 + 1))
    assert done["rows_deleted"] == 5 and Measurement.objects.count() == 5


def test_each_month_gets_its_partition_before_its_rows(tmp_path: Path, device: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps a plain table")
    assert partitioning.is_partitioned()
    token, _secret = device
    import_measurements(write(tmp_path, "m.csv", [
        row(datetime(2016, 5, 3, 9, 0, tzinfo=UTC), "ping", reachable=1)]), actor="test")
    ingest(token, [{"measured_at": "2017-08-01T10:00:00+02:00", "kind": "ping",
                    "path": "primary", "reachable": 1}])
    names = partitioning.partitions()
    assert any("2016_05" in n or "20160501" in n for n in names)
    assert any("2017_08" in n or "20170801" in n for n in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {partitioning.TABLE}_default")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = %s::regclass",
                       [partitioning.PARENT])
        assert cursor.fetchone()[0] == len(names) + 1  # and the default partition
    assert Measurement.objects.count() == 2


def test_partitioning_again_changes_nothing(device: Any) -> None:
    """Migration 0003 run again (migrated back, whose reverse keeps the table, and forth)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps a plain table")
    token, _secret = device
    ingest(token, [{"measured_at": "2026-03-02T10:00:00+01:00", "kind": "ping",
                    "path": "primary", "reachable": 1}])
    before = partitioning.partitions()
    with connection.schema_editor() as editor:
        partitioning.partition_table(None, editor)
    assert partitioning.partitions() == before and Measurement.objects.count() == 1


def test_partitions_cover_the_retention_window(db: None) -> None:
    """The months raw rows are kept for have their partitions from the start, so rows written
    there in bulk without asking (the demo's, say) never land in the default partition."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps a plain table")
    names = partitioning.partitions()
    for back in (0, 200, partitioning.retention_days() - 31):
        month = partitioning.months(timezone.now() - timedelta(days=back), timezone.now())[0]
        assert any(f"{month:%Y_%m}" in n or f"{month:%Y%m%d}" in n for n in names), month


def test_maintenance_moves_rows_from_the_default_partition(device: Any) -> None:
    """A row written to a month without its partition (a bulk insert that did not ask) lands
    in the default partition; maintenance moves it to its month's partition, made for it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps a plain table")
    token, _secret = device
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {partitioning.TABLE} (location_id, device, measured_at, "
                       "kind, path, reachable, received_at) VALUES (%s, 'pi-9', "
                       "'2019-03-04 10:00+00', 'ping', 'primary', true, now())",
                       [token.location_id])
        cursor.execute(f"SELECT count(*) FROM {partitioning.TABLE}_default")
        assert cursor.fetchone()[0] == 1
    partitioning.prune(100_000)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {partitioning.TABLE}_default")
        assert cursor.fetchone()[0] == 0
    assert any("2019_03" in n or "20190301" in n for n in partitioning.partitions())
    assert Measurement.objects.get().device == "pi-9"


def test_a_files_months_get_their_partitions_before_the_merge(tmp_path: Path, line: Any,
                                                             monkeypatch: Any) -> None:
    """Made in the merge's transaction, after it locked the locations, a partition would wait
    on an agent's post holding the table and waiting for a location: a deadlock. (The merge's
    transaction is a savepoint here: made in it, the partition would go with it.)"""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps a plain table")

    def merge_fails(*args: Any) -> None:
        raise RuntimeError("stopped in the merge")

    monkeypatch.setattr(Measurements, "merge", merge_fails)
    with pytest.raises(RuntimeError):
        import_measurements(write(tmp_path, "m.csv", [
            row(datetime(2018, 7, 2, 9, 0, tzinfo=UTC), "ping", reachable=1)]), actor="test")
    assert any("2018_07" in n or "20180701" in n for n in partitioning.partitions())
    assert not Measurement.objects.exists()


def test_the_command_prunes_and_says_what_went(tmp_path: Path, line: Any, capsys: Any) -> None:
    import_measurements(write(tmp_path, "m.csv", [
        row(datetime(2024, 1, 10, 9, 0, tzinfo=UTC), "ping", reachable=1)]), actor="test")
    call_command("prune_measurements", "--days", "400")
    out = capsys.readouterr().out
    assert "raw measurements before" in out and "removed" in out
    assert not Measurement.objects.exists() and DailyRollup.objects.count() == 1
    with pytest.raises(SystemExit):
        call_command("prune_measurements", "--days", "0")
