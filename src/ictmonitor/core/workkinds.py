"""Long work other than imports that runs as a background job: a report pack, a release, a
wave's reallocation. Registered by the apps that own it, run by the jobs app.

An app registers its kinds from `AppConfig.ready()` (each with its runner's dotted path, loaded
only when a job runs); its pages queue a job with `queue_work`, which the jobs app registers.
So core names no app, and an app's page does not import the jobs app.

A runner is called as `runner(parameters, user=…, actor=…, progress=…)` and returns a
`WorkDone`; `progress(done, total, step)` tells the job's page how far it is. A `WriteRefused`
(core.recording) ends the job refused, with its message; any other error, failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ictmonitor.core.roles import SEES_EVERY_SCHOOL, role_of

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class WorkKind:
    """One kind of background work: its code, its name on screen, its runner and the roles
    that may queue it (the department's, as every page that offers work is today), checked
    when it is queued and again when a failed job is run again."""

    code: str
    label: Any
    runner: str
    roles: frozenset[str] = SEES_EVERY_SCHOOL

    def may_queue(self, user: Any) -> bool:
        """Whether this user may queue work of this kind now."""
        return role_of(user) in self.roles and bool(getattr(user, "is_active", False))

    def run(self, parameters: dict[str, Any], **arguments: Any) -> WorkDone:
        """Do the work (in the worker)."""
        done: WorkDone = import_string(self.runner)(parameters, **arguments)
        return done


@dataclass(frozen=True)
class WorkDone:
    """What a finished job says (in the language of whoever queued it) and, for work that
    makes a file (a report pack), the file and the name it is downloaded under."""

    summary: str
    output: Path | None = None
    output_name: str = ""


# Filled at start-up by the apps' AppConfig.ready().
WORK_KINDS: dict[str, WorkKind] = {}
_queue: list[str] = []


def outputs_dir() -> Path:
    """Where the files work makes wait for their owners to download them (from the job's
    page); made on first use."""
    path = Path(settings.DATA_DIR) / "outputs" / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def register_work(*kinds: WorkKind) -> None:
    """Make these kinds of work queueable as jobs (an app's ready())."""
    for kind in kinds:
        WORK_KINDS[kind.code] = kind


def register_work_queue(queue: str) -> None:
    """How work is queued as a job, by the function's dotted path (the jobs app's ready())."""
    _queue[:] = [queue]


def queue_work(kind: str, parameters: dict[str, Any], user: Any, title: str) -> Any:
    """Queue work of a registered kind in the user's name; the job queued (its page is
    `jobs:job?id=N`). `title` names it in the user's list of jobs."""
    if kind not in WORK_KINDS:
        raise LookupError(f"No work of kind {kind!r} is registered.")
    if not WORK_KINDS[kind].may_queue(user):
        raise PermissionDenied(f"{user} may not queue {kind!r} work.")
    if not _queue:
        raise LookupError("No app queues background jobs here.")
    return import_string(_queue[0])(kind, parameters, user, title)


def queue_and_show(request: HttpRequest, kind: str, parameters: dict[str, Any],
                   title: str) -> HttpResponse:
    """Queue work from a page in the signed-in user's name and language, say so, and go to
    the job's page, where its progress shows live."""
    job = queue_work(kind, {**parameters, "language": get_language() or "nl"}, request.user,
                     title)
    messages.success(request, _("%(title)s is queued as job %(number)s. You may leave this "
                                "page: the job goes on, and My jobs shows how it ended.")
                     % {"title": title, "number": job.pk})
    return redirect(f"{reverse('jobs:job')}?id={job.pk}")
