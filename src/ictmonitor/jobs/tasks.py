"""The job task: run a queued import in a worker, writing its progress and its result (or
registered work, jobs/work.py).

`enqueue` hands a job to Django's tasks framework (settings.TASKS: the django-tasks-db backend,
run by `ictmonitor worker`); `execute` is what the worker runs: the same importer the command
line runs in the foreground, with a progress callback that writes the job's row at most every
PROGRESS_EVERY seconds. On SQLite a large file's merge is told between its slices, outside any
transaction; on PostgreSQL its steps are told inside the import's one transaction, so the
progress goes through a second connection of its own (autocommit, the job's row only), seen at
once by whoever looks at the job.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Q
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import ROW_COUNT
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
        attempts=F("attempts") + 1, rows_read=0, rows_checked=0, rows_written=0, bytes_read=0,
        problems_found=0,
        phase="reading", reason="", reason_params={}, import_run=None, finished_at=None,
        **running_here())
    job = Job.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return str(job.state)  # run already, or by another worker
    if is_work(job.kind):
        return run_work(job)  # a report pack, a release, ... (core/workkinds.py)
    progress = JobProgress(job)
    try:
        run = kind_of(job.kind).run(
            Path(job.path), provider=job.provider or None, actor=job.actor, user=job.user,
            display_name=job.file_name, progress=progress)
    except ImportRefused as refused:
        _end(job, Job.State.REFUSED, _run_of(job), problems=refused.problems.total)
    except BaseException as error:  # the import's own run ended failed; the file is kept
        log.error("job %s (%s) stopped", job.pk, job.file_name, exc_info=error)
        _end(job, Job.State.FAILED, _run_of(job), reason=failure_reason(error))
        if not isinstance(error, Exception):
            raise
    else:
        _end(job, Job.State.SUCCEEDED, run)
    finally:
        progress.close()
    return str(job.state)


class JobProgress:
    """The pipeline's progress callback for a job: writes the job's row now and then."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = 0.0
        self.phase = ""
        self.aside = ProgressConnection(job.pk)

    def __call__(self, rows: int, done: int, size: int, problems: int = 0,
                 phase: str = "reading", written: int = 0, checked: int = 0) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and phase == self.phase:
            return
        self.last, self.phase = now, phase
        fields = {"rows_read": rows, "bytes_read": done, "problems_found": problems,
                  "phase": phase, "rows_checked": checked, "rows_written": written,
                  "progress_at": timezone.now()}
        if not self.aside.update(fields):
            Job.objects.filter(pk=self.job.pk).update(**fields)

    def close(self) -> None:
        """The import ended: its second connection, if it opened one, goes."""
        self.aside.close()


class ProgressConnection:
    """A second connection to the same PostgreSQL database, in autocommit, that writes one
    job's progress row while the import's transaction is open on the first (there a write
    would show only once the transaction ends). Opened on first need, closed by `close`.

    Not on SQLite: a second writer would wait for the import's lock (its large files merge in
    slices, told between them). Not when the job's row is not to be seen from another
    connection (a test's transaction): the import's own connection writes it then.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.wrapper: BaseDatabaseWrapper | None = None
        self.usable = True

    def update(self, fields: dict[str, Any]) -> bool:
        """Write the fields of the job's row here, if needed and possible; whether it did."""
        if not (self.usable and connection.vendor == "postgresql"
                and connection.in_atomic_block):
            return False
        try:
            if self.wrapper is None:
                self.wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
            done = self._write(self.wrapper, fields)
        except DatabaseError:
            log.warning("job %s: progress not written aside", self.job_id, exc_info=True)
            done = False
        if not done:  # its row unseen, or the connection failed: the first connection writes
            self.usable = False
            self.close()
        return done

    def _write(self, wrapper: BaseDatabaseWrapper, fields: dict[str, Any]) -> bool:
        """The ORM's UPDATE of the job's row (as `.update(**fields)`), run on `wrapper`."""
        query = UpdateQuery(Job)
        query.add_update_values(fields)
        query.add_q(Q(pk=self.job_id))
        return bool(query.get_compiler(connection=wrapper).execute_sql(ROW_COUNT) == 1)

    def close(self) -> None:
        """Close the second connection, if open."""
        if self.wrapper is not None:
            self.wrapper.close()
            self.wrapper = None


def _run_of(job: Job) -> ImportRun | None:
    """The import run this job's attempt started: this process's latest for the job's file."""
    me = running_here()
    assert job.started_at is not None
    return (ImportRun.objects.filter(started_at__gte=job.started_at, file_name=job.file_name,
                                     actor=job.actor, **me).order_by("-pk").first())


def _end(job: Job, state: str, run: ImportRun | None, *, problems: int | None = None,
         reason: tuple[str, dict[str, str]] = ("", {})) -> None:
    """Record how the job ended; its kept file goes unless the job can be run again."""
    fields: dict[str, Any] = {"state": state, "finished_at": timezone.now(), "seen": False,
                              "import_run": run, "reason": reason[0],
                              "reason_params": reason[1], "phase": ""}
    if run is not None:
        fields.update(rows_read=run.rows or job.rows_read)
        if state == Job.State.FAILED and not reason[0]:
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
