"""What every page knows about the user's notifications: how many are unread."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ictmonitor.notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """`notifications_unread`: counted only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}
