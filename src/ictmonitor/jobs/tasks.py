"""The job task: run a queued import in a worker, writing its progress and its result (or
registered work, jobs/work.py).

`enqueue` hands a job to Django's tasks framework (settings.TASKS: the django-tasks-db backend,
run by `ictmonitor worker`); `execute` is what the worker runs: the same importer the command
line runs in the foreground, with a progress callback that writes the job's row at most every
PROGRESS_EVERY seconds (outside the import's final merge, so it never waits on its lock).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from ictmonitor.core.models import ImportRun
from ictmonitor.core.problems import SOURCE_LANGUAGE, ImportRefused, shown
from ictmonitor.core.unfinished import running_here
from ictmonitor.jobs.kinds import kind_of
from ictmonitor.jobs.models import Job
from ictmonitor.jobs.work import failure_reason, is_work, run_work

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between two progress writes


def enqueue(job: Job) -> None:
    """Queue the job's task; the task's id is kept on the job."""
    result = run_job.using(backend=settings.JOBS_TASK_BACKEND).enqueue(job.pk)
    job.task_id = str(result.id)
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


@task()
def run_job(job_id: int) -> str:
    """The task a worker runs: the job's import. Returns the state it ended in."""
    return execute(job_id)


def execute(job_id: int) -> str:
    """Run a queued job: claim it (once), import its file, record how it ended."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now(), progress_at=timezone.now(),
        attempts=F("attempts") + 1, rows_read=0, rows_written=0, bytes_read=0, problems_found=0,
        phase="reading", reason="", import_run=None, finished_at=None, **running_here())
    job = Job.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return str(job.state)  # run already, or by another worker
    if is_work(job.kind):
        return run_work(job)  # a report pack, a release, ... (core/workkinds.py)
    try:
        run = kind_of(job.kind).run(
            Path(job.path), provider=job.provider or None, actor=job.actor, user=job.user,
            display_name=job.file_name, progress=JobProgress(job))
    except ImportRefused as refused:
        _end(job, Job.State.REFUSED, _run_of(job), problems=refused.problems.total)
    except BaseException as error:  # the import's own run ended failed; the file is kept
        log.error("job %s (%s) stopped", job.pk, job.file_name, exc_info=error)
        _end(job, Job.State.FAILED, _run_of(job), reason=failure_reason(error))
        if not isinstance(error, Exception):
            raise
    else:
        _end(job, Job.State.SUCCEEDED, run)
    return str(job.state)


class JobProgress:
    """The pipeline's progress callback for a job: writes the job's row now and then."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = 0.0
        self.phase = ""

    def __call__(self, rows: int, done: int, size: int, problems: int = 0,
                 phase: str = "reading", written: int = 0) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and phase == self.phase:
            return
        self.last, self.phase = now, phase
        Job.objects.filter(pk=self.job.pk).update(
            rows_read=rows, bytes_read=done, problems_found=problems, phase=phase,
            rows_written=written, progress_at=timezone.now())


def _run_of(job: Job) -> ImportRun | None:
    """The import run this job's attempt started: this process's latest for the job's file."""
    me = running_here()
    assert job.started_at is not None
    return (ImportRun.objects.filter(started_at__gte=job.started_at, file_name=job.file_name,
                                     actor=job.actor, **me).order_by("-pk").first())


def _end(job: Job, state: str, run: ImportRun | None, *, problems: int | None = None,
         reason: str = "") -> None:
    """Record how the job ended; its kept file goes unless the job can be run again."""
    fields: dict[str, Any] = {"state": state, "finished_at": timezone.now(), "seen": False,
                              "import_run": run, "reason": reason, "phase": ""}
    if run is not None:
        fields.update(rows_read=run.rows or job.rows_read)
        if state == Job.State.FAILED and not reason:
            fields["reason"] = "; ".join(shown(run.problems, SOURCE_LANGUAGE))
    if problems is not None:
        fields["problems_found"] = problems
    if state == Job.State.SUCCEEDED:
        fields["bytes_read"] = job.size
    if state != Job.State.FAILED:
        Path(job.path).unlink(missing_ok=True)
        fields["path"] = ""
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
