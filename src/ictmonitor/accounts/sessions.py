"""Sessions: the store (SESSION_ENGINE) and the idle timeout.

Idle timeout: a session ends settings.SESSION_COOKIE_AGE seconds after its last request.

Django's session expires that long after it was last saved, and it is saved only when changed,
so an active user would be logged out mid-work and an idle one kept for the whole age. Saving
on every request (SESSION_SAVE_EVERY_REQUEST) would write to the database on every read, which
waits behind an import's write lock on SQLite. So a signed-in session is saved again at most
once every few minutes: it lives until it has been idle for the age, less at most that step.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

REFRESHED_AT = "_idle_refreshed_at"
MOST_STEP = 300  # seconds


class SessionStore(DatabaseSessionStore):
    """Django's sessions in the database, where a cookie no session could have (a forged one)
    counts as none: it never reaches the session table, where PostgreSQL would fail on a NUL
    byte. Django's keys are 32 lower-case letters and digits."""

    def _validate_session_key(self, key: str | None) -> bool:
        """Django's check (at least 8 characters) and letters and digits, at most 40."""
        valid = super()._validate_session_key(key)  # type: ignore[misc]  # not in the stubs
        return bool(valid and key and len(key) <= 40 and key.isascii() and key.isalnum())


def refresh_step(age: int) -> int:
    """How long a session goes without being saved again: five minutes, or a tenth of a
    short age, so that it never ends more than that step before its idle time."""
    return min(MOST_STEP, age // 10)


class IdleTimeoutMiddleware:
    """Keeps a signed-in user's session alive while requests keep coming."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:  # after the view: not after a logout
            now = int(timezone.now().timestamp())
            last = request.session.get(REFRESHED_AT, 0)
            if now - last >= refresh_step(settings.SESSION_COOKIE_AGE):
                request.session[REFRESHED_AT] = now  # saved, with a new expiry, on the way out
        return response
