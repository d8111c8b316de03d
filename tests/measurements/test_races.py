"""Devices of one location posting at the same moment share its day rollups: every post is
stored and the rollup counts them all. Each thread has its own connection; the posts try to
rebuild the rollup at the same moment, and the location's row lock makes the second wait for
the first (on PostgreSQL; on SQLite they take turns, see tests/vouchers/test_races.py)."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.db import connection

from ictmonitor.measurements import ingest as ingest_module
from ictmonitor.measurements import tokens
from ictmonitor.measurements.models import DailyRollup, Measurement
from ictmonitor.registry.models import Location

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def meeting(function: Any) -> Any:
    """`function`, after which both posts wait for each other: the step that follows, where
    they would collide, is reached together, unless a lock keeps one out."""
    meet = threading.Barrier(2)

    def together(*args: Any) -> Any:
        found = function(*args)
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=2)
        return found

    return together


def before_meeting(function: Any) -> Any:
    """`function`, called once both posts have reached it."""
    meet = threading.Barrier(2)

    def together(*args: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=2)
        return function(*args)

    return together


def post_at_once(devices: list[Any], day: str, minutes: int) -> list[str]:
    """Each device posts `minutes` pings of a day in its own thread, all at once (on SQLite,
    which lets one writer in, in turns); each post's accepted count, or its error."""
    start = threading.Barrier(len(devices))
    turns: Any = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    outcomes: list[str] = [""] * len(devices)

    def post(n: int) -> None:
        items = [{"measured_at": f"{day}T09:{minute:02d}:00+01:00", "kind": "ping",
                  "path": "primary", "reachable": 1} for minute in range(minutes)]
        try:
            start.wait(timeout=10)
            with turns:
                outcomes[n] = str(ingest_module.ingest(devices[n], items).as_json()["accepted"])
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes[n] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(devices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_devices_posting_at_once_are_all_rolled_up(line: Any, monkeypatch: Any) -> None:
    devices = [tokens.issue(line.location, f"pi-{n}", "test")[0] for n in range(2)]
    # Both posts reach the rebuild together, unless the lock keeps the second out.
    monkeypatch.setattr(ingest_module, "rebuild_rollups",
                        before_meeting(ingest_module.rebuild_rollups))
    assert post_at_once(devices, "2026-03-02", 20) == ["20", "20"]
    assert Measurement.objects.count() == 40
    rollup = DailyRollup.objects.get()
    assert (rollup.pings, rollup.pings_reachable, rollup.pings_school_hours) == (40, 40, 40)


def test_devices_posting_the_first_rows_of_a_month_at_once_both_get_in(
        line: Any, monkeypatch: Any) -> None:
    # Each post makes its month's partition first (PostgreSQL); two locations' posts at once
    # deadlocked in the catalogue and one answered 500 (found by bench/agents_ingest.py).
    other = Location.objects.exclude(pk=line.location_id).first()
    devices = [tokens.issue(place, "pi", "test")[0] for place in (line.location, other)]
    # Both posts have read the table before either makes the month's partition.
    monkeypatch.setattr(ingest_module, "_stored_keys", meeting(ingest_module._stored_keys))
    assert post_at_once(devices, "2025-05-04", 10) == ["10", "10"]
    assert Measurement.objects.count() == 20
