"""Two workers folding the agents' posts at once (measurements/inbox.py). On PostgreSQL each
fold takes batches no other holds (SKIP LOCKED) and locks their locations, so two folds
touching one location's rows and rollups take turns; on SQLite, which lets one writer in,
they take turns anyway (see tests/vouchers/test_races.py). Each thread has its own
connection; the folds are made to reach the step where they would collide together."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.db import connection

from ictmonitor.measurements import inbox, ingest, tokens
from ictmonitor.measurements.models import DailyRollup, Measurement, ReceivedBatch
from ictmonitor.registry.models import Location

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def meeting(function: Any) -> Any:
    """`function`, after which both folds wait for each other: the step that follows, where
    they would collide, is reached together, unless a lock keeps one out. (SQLite: the
    folds take turns, nothing to meet.)"""
    if connection.vendor == "sqlite":
        return function
    meet = threading.Barrier(2)

    def together(*args: Any) -> Any:
        found = function(*args)
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=2)
        return found

    return together


def before_meeting(function: Any, wait: float = 2) -> Any:
    """`function`, called once both folds have reached it (or after `wait` seconds: a lock
    keeps the other out)."""
    if connection.vendor == "sqlite":
        return function
    meet = threading.Barrier(2)

    def together(*args: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=wait)
        return function(*args)

    return together


def fold_at_once(folds: int) -> list[str]:
    """`folds` folds of one batch each, in threads of their own, all at once (on SQLite, in
    turns); what each folded (batches/rows/duplicates), or its error."""
    start = threading.Barrier(folds)
    turns: Any = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    outcomes: list[str] = [""] * folds

    def fold(n: int) -> None:
        try:
            start.wait(timeout=10)
            with turns:
                done = inbox.fold(most=1)
                outcomes[n] = f"{done.batches}/{done.rows}/{done.duplicates}"
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes[n] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=fold, args=(n,)) for n in range(folds)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def pings(day: str, minutes: int) -> list[dict[str, Any]]:
    return [{"measured_at": f"{day}T09:{minute:02d}:00+01:00", "kind": "ping",
             "path": "primary", "reachable": 1} for minute in range(minutes)]


def test_two_devices_of_a_location_folded_at_once_are_all_rolled_up(
        line: Any, monkeypatch: Any) -> None:
    devices = [tokens.issue(line.location, f"pi-{n}", "test")[0] for n in range(2)]
    for device in devices:
        ingest.receive(device, pings("2026-03-02", 20))
    # Both folds come to the rollups together, unless the location's lock keeps the second
    # out until the first is done (without it both would add the day's first rollup).
    monkeypatch.setattr(inbox.rollups, "add_staged",
                        before_meeting(inbox.rollups.add_staged, wait=0.5))
    assert fold_at_once(2) == ["1/20/0", "1/20/0"]
    assert Measurement.objects.count() == 40 and not ReceivedBatch.objects.exists()
    rollup = DailyRollup.objects.get()
    assert (rollup.pings, rollup.pings_reachable, rollup.pings_school_hours) == (40, 40, 40)


def test_a_resend_folded_at_once_with_its_first_copy_is_stored_once(
        line: Any, monkeypatch: Any) -> None:
    device = tokens.issue(line.location, "pi-1", "test")[0]
    ingest.receive(device, pings("2026-03-02", 10))
    ingest.receive(device, pings("2026-03-02", 10))  # the answer was lost: sent again
    # (without the location's lock the second fold would not see the first's rows yet)
    monkeypatch.setattr(inbox, "_lock_locations", before_meeting(inbox._lock_locations))
    assert fold_at_once(2) == ["1/0/10", "1/10/0"]
    assert Measurement.objects.count() == 10
    assert DailyRollup.objects.get().pings == 10


def test_the_first_rows_of_a_month_folded_at_once_both_get_in(line: Any,
                                                              monkeypatch: Any) -> None:
    # Each fold makes its months' partitions first (PostgreSQL); two posts at once that made
    # them after reading the table deadlocked in the catalogue (found by bench/agents_ingest).
    other = Location.objects.exclude(pk=line.location_id).get()
    devices = [tokens.issue(place, "pi", "test")[0] for place in (line.location, other)]
    for device in devices:
        ingest.receive(device, pings("2025-05-05", 10))
    # Both folds have read the table before either goes on.
    monkeypatch.setattr(inbox, "_drop_stored", meeting(inbox._drop_stored))
    assert fold_at_once(2) == ["1/10/0", "1/10/0"]
    assert Measurement.objects.count() == 20
