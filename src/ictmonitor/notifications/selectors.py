"""Reads of notifications: a user's list, how many are unread, the user's choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ictmonitor.notifications.kinds import KINDS, Kind, text_of
from ictmonitor.notifications.models import Notification, Preference


def notifications_of(user: Any) -> QuerySet[Notification]:
    """The user's notifications in the app, newest first."""
    return Notification.objects.filter(user=user, in_app=True).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """How many of the user's notifications in the app are unread."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).count()


def with_texts(notes: Any) -> list[tuple[Notification, str]]:
    """Each notification with its text in the page's language."""
    return [(note, text_of(note.kind, note.params)) for note in notes]


@dataclass(frozen=True)
class Choice:
    """A kind with the user's choice for it."""

    kind: Kind
    in_app: bool
    by_email: bool


def choices(user: Any) -> list[Choice]:
    """Every kind with the user's choice (both ways unless the user chose otherwise)."""
    made = {kind: (in_app, by_email) for kind, in_app, by_email in
            Preference.objects.filter(user=user).values_list("kind", "in_app", "by_email")}
    return [Choice(kind, *made.get(code, (True, True))) for code, kind in KINDS.items()]
