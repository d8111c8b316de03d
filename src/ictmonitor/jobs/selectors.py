"""Reads of background jobs: those a user may see, one job, what is new for its owner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from ictmonitor.accounts.access import visible_jobs
from ictmonitor.core.models import ImportRun
from ictmonitor.core.problems import shown
from ictmonitor.core.workkinds import WORK_KINDS
from ictmonitor.jobs.abandoned import close_abandoned_jobs
from ictmonitor.jobs.kinds import KINDS
from ictmonitor.jobs.models import Job

PROBLEMS_SHOWN = 100


def jobs_of(user: Any) -> QuerySet[Job]:
    """The jobs this user may see (the department every one, anyone else their own), newest
    first; one whose worker died is shown failed, never running."""
    found = visible_jobs(user, Job.objects.select_related("import_run"))
    close_abandoned_jobs(found)
    return found.order_by("-created_at", "-pk")


def own_jobs(user: Any) -> QuerySet[Job]:
    """The jobs this user started ("my jobs"), newest first."""
    return jobs_of(user).filter(user=user)


def job_for(user: Any, pk: int) -> Job | None:
    """One job if the user may see it (else None: existence does not leak)."""
    found = visible_jobs(user, Job.objects.select_related("import_run")).filter(pk=pk)
    close_abandoned_jobs(found)
    return found.first()


def unseen(user: Any) -> int:
    """How many of the user's jobs ended since the user last looked at them."""
    if not user.is_authenticated:
        return 0
    return Job.objects.filter(user=user, seen=False, state__in=Job.ENDED).count()


def mark_seen(job: Job, user: Any) -> None:
    """The owner has seen how the job ended."""
    if job.ended and not job.seen and job.user_id == user.pk:
        Job.objects.filter(pk=job.pk).update(seen=True)
        job.seen = True


def kind_label(code: str) -> str:
    """What an import kind, or a kind of work, is called on screen."""
    kind = KINDS.get(code) or WORK_KINDS.get(code)
    return str(kind.label) if kind else code


def problems_of(job: Job, language: str | None = None) -> dict[str, Any]:
    """The first problems of a refused or failed job's import, in file order, in words in
    `language` (None: the page's), and how many more there were (the one place a page or the
    API lists a refused file's problems); its warnings too."""
    run: ImportRun | None = job.import_run
    listed = list(run.problems) if run is not None else []
    if not listed and job.reason:
        listed = [job.reason_text(language)]
    first = [item for item in listed if not (isinstance(item, dict) and "hidden" in item)]
    first = first[:PROBLEMS_SHOWN]
    total = max(job.problems_found, len(first))
    return {"problems": shown(first, language), "total": total,
            "hidden": max(0, total - len(first)),
            "warnings": shown(run.warnings, language) if run is not None else []}


def last_feed_jobs(user: Any) -> list[tuple[str, str, Job | None]]:
    """Each provider feed (code, name on screen) with the last job of it this user started
    (None: never sent)."""
    mine = own_jobs(user)
    return [(kind.code, str(kind.label), mine.filter(kind=kind.code).first())
            for kind in KINDS.values() if kind.provider_feed]


def ended_jobs(since: datetime) -> QuerySet[Job]:
    """Jobs started by a user that ended at or after `since` (notifications)."""
    return (Job.objects.filter(user__isnull=False, state__in=Job.ENDED, finished_at__gte=since)
            .order_by("finished_at", "pk"))
