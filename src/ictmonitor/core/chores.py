"""Small recurring work the worker does beside its jobs: folding the measuring agents' posts
into the raw table (measurements/inbox.py). Registered by the apps that own it, run by
`ictmonitor worker` in a thread of its own.

A chore is not a job: it runs every few seconds whether or not anyone asked, so a task a run
would fill the queue's table, and a job queued behind a long import would wait for it. The
thread calls each registered chore's runner (a dotted path, no arguments), sleeps `every`
seconds, and goes on until the worker stops. A runner must be safe with several workers
running it at once and stopped at any point (its writes one transaction); an error is logged,
and the next round tries again.

The thread runs at a lower CPU priority than the rest of the worker and the servers
(NICENESS, on Linux, where a thread's nice value is its own): a chore is background work,
and on a machine shared with `ictmonitor serve` the requests come first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from dataclasses import dataclass

from django.db import close_old_connections, connection
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)
NICENESS = 10  # added to the chores' thread's nice value (Linux)


@dataclass(frozen=True)
class Chore:
    """One kind of recurring work: its code, its runner's dotted path, the pause between two
    runs (seconds)."""

    code: str
    runner: str
    every: float

    def run(self) -> None:
        """One round of it."""
        import_string(self.runner)()


# Filled at start-up by the apps' AppConfig.ready().
CHORES: dict[str, Chore] = {}


def register_chore(*chores: Chore) -> None:
    """Make these chores run in every worker (an app's ready())."""
    for chore in chores:
        CHORES[chore.code] = chore


def run_chores(stop: threading.Event) -> None:
    """Run every registered chore, each round after the shortest pause, until `stop` is set."""
    pause = min((c.every for c in CHORES.values()), default=1.0)
    lower_priority()
    while not stop.is_set():
        for chore in list(CHORES.values()):
            try:
                close_old_connections()
                chore.run()
            except Exception:
                log.exception("chore %s failed; it runs again in %s s", chore.code, pause)
                connection.close()  # a broken connection is not used again
        stop.wait(pause)
    connection.close()


def lower_priority() -> None:
    """This thread's nice value raised by NICENESS (Linux: the calling thread only; elsewhere
    nice() would lower the whole process, so nothing is done)."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            here = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, here,
                           min(19, os.getpriority(os.PRIO_PROCESS, here) + NICENESS))


def start_chores() -> tuple[threading.Thread, threading.Event] | None:
    """The chores' thread, started (a daemon: it ends with the worker, a chore's transaction
    rolled back), and the event that stops it; None when no app registered any."""
    if not CHORES:
        return None
    stop = threading.Event()
    thread = threading.Thread(target=run_chores, args=(stop,), name="chores", daemon=True)
    thread.start()
    return thread, stop
