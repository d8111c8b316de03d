"""Which process runs an import, and whether that process still runs.

A process is known by its host, its pid and its start mark: on Linux the boot's id and the
process's start time in clock ticks (/proc), which tell a pid used again (after a restart, or a
container's server that is always pid 1) from the process that had it. Where the system does not
tell a start time, the mark is empty and only the pid is checked.
"""

from __future__ import annotations

import functools
import os
import socket
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class ProcessRef:
    """A process as an import run records it."""

    host: str
    pid: int
    mark: str


@functools.cache
def host_name() -> str:
    """This machine's name, as runs record it."""
    return socket.gethostname()[:255]


def this_process() -> ProcessRef:
    """The process we are (not cached: a forked child is another process)."""
    pid = os.getpid()
    return ProcessRef(host_name(), pid, start_mark(pid) or "")


def start_mark(pid: int) -> str | None:
    """The start mark of the process with this pid; None if there is no such process (or only
    its zombie), '' if it runs but the system does not tell when it started."""
    if not (PROC / "self" / "stat").is_file():
        return _exists_without_proc(pid)
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, NotADirectoryError):
        # Gone, or hidden: /proc mounted with hidepid shows only our own user's processes.
        return _exists_without_proc(pid)
    except PermissionError:
        return ""
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (command name)"
    state, started = fields[0], fields[19]
    if state in {"Z", "X"}:
        return None
    return f"{_boot_id()}/{started}"


def is_running(process: ProcessRef) -> bool | None:
    """Whether the process still runs; None when it ran on another host (we cannot tell)."""
    if process.host != host_name():
        return None
    mark = start_mark(process.pid)
    if mark is None:
        return False
    return not (process.mark and mark and mark != process.mark)


@functools.cache
def _boot_id() -> str:
    try:
        return (PROC / "sys" / "kernel" / "random" / "boot_id").read_text().strip()
    except OSError:
        return ""


def _exists_without_proc(pid: int) -> str | None:
    if os.name == "nt":  # os.kill would end the process there; take it as running
        return ""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # another user's process: it exists
        return ""
    return ""
