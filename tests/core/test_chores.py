"""Chores: recurring work the apps register, run by every worker in a thread beside its jobs
(core/chores.py); the measurements app's fold of the agents' posts is one."""

from __future__ import annotations

import os
import sys
import threading
from types import SimpleNamespace
from typing import Any

import pytest

from ictmonitor.core import chores

RUNS: list[str] = []
STOP = threading.Event()


def counted() -> None:
    RUNS.append("ran")
    if RUNS.count("ran") >= 3:
        STOP.set()


def failing() -> None:
    RUNS.append("failed")
    raise RuntimeError("a broken round")


@pytest.fixture
def registered(monkeypatch: Any, db: None) -> None:
    """Two chores of this module in place of the apps' (each round closes stale connections,
    so the database must be open to it, as it is to a worker)."""
    RUNS.clear()
    STOP.clear()
    monkeypatch.setattr(chores, "CHORES", {})
    # no database here: the connection's upkeep between rounds is the worker's, not tested
    monkeypatch.setattr(chores, "close_old_connections", lambda: None)
    monkeypatch.setattr(chores, "connection", SimpleNamespace(close=lambda: None))
    chores.register_chore(chores.Chore("fails", f"{__name__}.failing", 0.01),
                          chores.Chore("counts", f"{__name__}.counted", 0.01))


def test_each_chore_runs_round_after_round_until_stopped(registered: None) -> None:
    chores.run_chores(STOP)  # `counted` stops it after its third round
    # a chore that fails is logged and tried again; the others run all the same
    assert RUNS == ["failed", "ran"] * 3


def test_the_chores_run_in_a_thread_of_their_own_that_stops_when_told(registered: None) -> None:
    started = chores.start_chores()
    assert started is not None
    thread, stop = started
    assert thread.daemon and thread.is_alive()
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive() and "ran" in RUNS


def test_no_thread_without_chores(monkeypatch: Any) -> None:
    monkeypatch.setattr(chores, "CHORES", {})
    assert chores.start_chores() is None


def test_the_measurements_app_registers_the_fold() -> None:
    chore = chores.CHORES["measurements-inbox"]
    assert chore.runner == "ictmonitor.measurements.inbox.fold_when_quiet"  # not in a burst
    assert chore.every == 1.0


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own nice value is Linux's")
def test_the_chores_thread_runs_at_a_lower_priority_than_the_worker(registered: None,
                                                                     monkeypatch: Any) -> None:
    """The fold competes with the servers' requests on a shared machine: it gives way."""
    seen: list[int] = []

    def look(self: chores.Chore) -> None:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        STOP.set()

    monkeypatch.setattr(chores.Chore, "run", look)
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=chores.run_chores, args=(STOP,))
    thread.start()
    thread.join(timeout=10)
    assert seen[0] == min(19, mine + chores.NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine  # the worker's
