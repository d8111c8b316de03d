"""Background work other than imports (core/workkinds.py): queued in a user's name, run by the
worker with its progress on the job's page, ended with a summary and, for work that makes a
file, the file to download."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop, override

from ictmonitor.core.recording import WriteRefused
from ictmonitor.core.workkinds import WORK_KINDS, WorkDone
from ictmonitor.jobs.models import Job

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between two progress writes


def is_work(kind: str) -> bool:
    """Whether jobs of this kind are registered work rather than an import."""
    return kind in WORK_KINDS


def failure_reason(error: BaseException) -> tuple[str, dict[str, str]]:
    """Why a job failed, as its page says it (a message and its parameters, Job.reason_text):
    the kind of error only (the job's page reaches its owner; the message and its traceback,
    which may hold SQL or a server's paths, go to the operators' log)."""
    if not isinstance(error, Exception):
        return gettext_noop("interrupted: the worker was stopped"), {}
    return gettext_noop("%(error)s, details in the server's log"), {
        "error": type(error).__name__}


def new_work_job(kind: str, parameters: dict[str, Any], user: Any, title: str) -> Job:
    """The job row of queued work (the caller queues its task)."""
    return Job.objects.create(kind=kind, file_name=title[:500], parameters=parameters,
                              user=user, actor=user.get_username(),
                              language=parameters.get("language", ""))


def run_work(job: Job) -> str:
    """Run a claimed work job in the language of whoever queued it; record how it ended."""
    progress = WorkProgress(job)
    try:
        with override(job.language or settings.LANGUAGE_CODE):
            done = WORK_KINDS[job.kind].run(dict(job.parameters), user=job.user,
                                            actor=job.actor, progress=progress)
    except WriteRefused as refused:
        _end(job, Job.State.REFUSED, reason=str(refused))
    except BaseException as error:
        log.error("job %s (%s) stopped", job.pk, job.kind, exc_info=error)
        _end(job, Job.State.FAILED, reason=failure_reason(error))
        if not isinstance(error, Exception):
            raise
    else:
        _end(job, Job.State.SUCCEEDED, done=done)
    return str(job.state)


class WorkProgress:
    """A runner's progress callback: step `done` of `total`, named, written now and then."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int, step: str = "") -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and done < total:
            return
        self.last = now
        Job.objects.filter(pk=self.job.pk).update(
            rows_read=done, bytes_read=done, size=total, summary=step[:500],
            progress_at=timezone.now())


def _end(job: Job, state: str, *, reason: str | tuple[str, dict[str, str]] = "",
         done: WorkDone | None = None) -> None:
    message, params = (reason, {}) if isinstance(reason, str) else reason
    fields: dict[str, Any] = {"state": state, "finished_at": timezone.now(), "seen": False,
                              "reason": message, "reason_params": params, "phase": ""}
    if done is not None:
        fields["summary"] = done.summary
        if done.output is not None:
            fields.update(output=str(done.output), output_name=done.output_name)
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
