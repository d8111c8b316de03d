"""Imports that did not end, and uploads nobody reads any more.

A killed import (kill -9, a crashed or stopped server) cannot say that it stopped. So when the next
import or the server starts (`close_unfinished`), each run still "running" whose process is gone
(core/processes.py) is marked failed with the reason, and each copy of an upload whose process is
gone is removed. A run or an upload of another host is left alone: from here we cannot tell.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ictmonitor.core.models import ImportRun
from ictmonitor.core.problems import whole_file
from ictmonitor.core.processes import ProcessRef, host_name, is_running, start_mark, this_process
from ictmonitor.core.slices import take_back

# An upload copy whose name does not say its process (left by an earlier version) is removed
# once it is this old: no import reads a file for longer without having written it first.
UNOWNED_UPLOAD_AGE = 3600.0

log = logging.getLogger(__name__)


def upload_dir() -> Path:
    """Where uploads wait while they are imported; made on first use."""
    path = _uploads()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _uploads() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def upload_suffix(process: ProcessRef | None = None) -> str:
    """The end of an upload copy's file name: which process wrote it (`~PID~HOST~MARK.csv`, the
    host and the start mark as short digests), so that it can be removed once that is gone."""
    writer = process or this_process()
    return f"~{writer.pid}~{_digest(writer.host)}~{_digest(writer.mark)}.csv"


def running_here() -> dict[str, object]:
    """The fields of an ImportRun that name this process."""
    me = this_process()
    return {"host": me.host, "pid": me.pid, "process_mark": me.mark}


def close_unfinished() -> tuple[int, int]:
    """Mark failed every run whose process is gone, remove every upload copy whose process is
    gone; how many of each."""
    return close_abandoned_runs(), remove_abandoned_uploads()


def close_abandoned_runs() -> int:
    """Mark failed, with the reason, every run still "running" whose process is gone."""
    closed = 0
    running = ImportRun.objects.filter(status=ImportRun.Status.RUNNING)
    for run in running.only("pk", "file_name", "host", "pid", "process_mark"):
        if not run.host:
            reason = _("the import did not end, and the version of ictmonitor that started it "
                       "did not record its process; nothing was imported")
        elif is_running(ProcessRef(run.host, run.pid or 0, run.process_mark)) is False:
            reason = _("the import did not end: its process (%(pid)s on %(host)s) stopped "
                       "before it finished (killed, or its server stopped); nothing was "
                       "imported")
        else:
            continue
        try:
            # The slices of a file it had merged in part (core/slices.py) go in the same
            # transaction as the run's end: "nothing was imported" must be true when it is said.
            with transaction.atomic():
                take_back(run)
                closed += running.filter(pk=run.pk).update(
                    status=ImportRun.Status.FAILED, finished_at=timezone.now(),
                    problems=[whole_file(run.file_name, reason, pid=run.pid, host=run.host)],
                )
        except DatabaseError as error:  # left running, to be taken back the next time
            log.warning("import run %s: its merged slices could not be taken back yet: %s",
                        run.pk, error)
    _take_back_what_failed_runs_left()
    return closed


def _take_back_what_failed_runs_left() -> None:
    """A run that failed while its own taking back failed too (core/slices.py) left its
    journal: its slices are taken back now, so that "nothing was imported" holds."""
    left = ImportRun.objects.filter(status=ImportRun.Status.FAILED, undo__isnull=False)
    for run in left.distinct().only("pk"):
        try:
            take_back(run)
        except DatabaseError as error:
            log.warning("import run %s: its merged slices could not be taken back yet: %s",
                        run.pk, error)


def remove_abandoned_uploads() -> int:
    """Remove every upload copy whose process is gone (those we may remove: an import on the
    command line may run as another user than the server)."""
    folder = _uploads()
    removed = 0
    for path in folder.iterdir() if folder.is_dir() else ():
        if path.is_file() and _abandoned(path):
            with contextlib.suppress(FileNotFoundError, PermissionError):
                path.unlink()
                removed += 1
    return removed


def _abandoned(path: Path) -> bool:
    parts = path.name.removesuffix(".csv").split("~")
    if len(parts) != 4 or not parts[1].isdigit():
        try:
            return time.time() - path.stat().st_mtime > UNOWNED_UPLOAD_AGE
        except FileNotFoundError:
            return False
    _name, pid, host, mark = parts
    if host != _digest(host_name()):
        return False
    now = start_mark(int(pid))
    return now is None or _digest(now) != mark


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]
