"""Jobs whose worker died: marked failed with the reason, never "running" for ever.

A worker killed mid-job (kill -9, a stopped server) cannot say so. A running job whose process is
gone (core/processes.py, the same check as an import run's) is marked failed when the next worker
starts, when anyone looks at the job, or when `ictmonitor serve` starts; its file is kept, so it
can be run again. Its import run is closed the same way (core/unfinished.py), and nothing was
imported: the merge is one transaction.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import QuerySet
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks_db.models import DBTaskResult

from ictmonitor.core.models import ImportRun
from ictmonitor.core.processes import ProcessRef, is_running
from ictmonitor.core.unfinished import close_unfinished
from ictmonitor.jobs.models import Job
from ictmonitor.jobs.tasks import enqueue
from ictmonitor.jobs.uploads import check_run_again

WORKER_DIED = gettext_noop("the worker that ran it (%(pid)s on %(host)s) stopped before the job "
                           "ended (killed, or its server stopped); nothing was imported")


def close_abandoned_jobs(jobs: QuerySet[Job] | None = None) -> int:
    """Mark failed every running job (of `jobs`, default all) whose worker process is gone."""
    running = (Job.objects.all() if jobs is None else jobs).filter(state=Job.State.RUNNING)
    closed = 0
    for job in running.select_related(None).only("pk", "host", "pid", "process_mark", "task_id",
                                                        "started_at"):
        if is_running(ProcessRef(job.host, job.pid or 0, job.process_mark)) is not False:
            continue
        closed += Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.FAILED, finished_at=timezone.now(), reason=WORKER_DIED,
            reason_params={"pid": job.pid, "host": job.host}, seen=False,
            phase="", import_run=_run_of(job))
        _close_task_result(job.task_id)
    if closed:
        close_unfinished()  # its import run too (and what that run left)
    return closed


def _run_of(job: Job) -> ImportRun | None:
    """The import run the dead worker had started for the job, if it got that far."""
    return (ImportRun.objects.filter(host=job.host, pid=job.pid, process_mark=job.process_mark,
                                     started_at__gte=job.started_at).order_by("-pk").first()
            if job.started_at else None)


def _close_task_result(task_id: str) -> None:
    """The task framework's own record of the job ends failed too (django-tasks-db)."""
    if not task_id:
        return
    with contextlib.suppress(DatabaseError, ValidationError, ValueError):
        DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now())


def run_again(job: Job, user: Any | None) -> bool:
    """Queue a failed job again (an import with its kept file, work with its parameters), as
    `user` asks (None: the operator at the command line); False if it cannot be. UploadRefused
    ("forbidden") if the user, or the job's owner, may no longer do its work
    (jobs.uploads.check_run_again: the rules that queued it)."""
    if not job.may_run_again or (not job.is_work and not Path(job.path).is_file()):
        return False
    check_run_again(job, user)
    queued = Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(summary="",
        state=Job.State.QUEUED, finished_at=None, started_at=None, reason="", reason_params={},
        rows_read=0,
        bytes_read=0, problems_found=0, phase="", seen=False, import_run=None)
    if not queued:
        return False
    job.refresh_from_db()
    enqueue(job)
    job.refresh_from_db()
    return True
