"""What every page knows about the user's background jobs: how many ended unseen."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ictmonitor.jobs.selectors import unseen


def jobs(request: HttpRequest) -> dict[str, Any]:
    """`jobs_unseen`: counted only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"jobs_unseen": SimpleLazyObject(lambda: unseen(user))}
