"""Idle timeout: a session ends after ICTMONITOR_SESSION_IDLE_MINUTES without a request (8 hours
by default) and lasts as long as requests keep coming."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ictmonitor.accounts.sessions import refresh_step
from tests.deployment import settings_from

pytestmark = pytest.mark.django_db


class Clock:
    """timezone.now() moved forward at will (sessions expire by it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = timedelta()
        real = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real() + self.offset)

    def forward(self, **by: float) -> None:
        self.offset += timedelta(**by)


def signed_in(client: Any) -> bool:
    """Does a page for signed-in users open, rather than send to the login page?"""
    page = client.get(reverse("registry:finder"))
    assert page.status_code in {200, 302}
    return page.status_code == 200


def test_an_idle_session_past_the_limit_must_log_in_again(client_for, monkeypatch):
    clock = Clock(monkeypatch)
    client = client_for("analyst")
    assert signed_in(client)
    clock.forward(hours=7, minutes=50)
    assert signed_in(client)  # idle under 8 hours: still in
    clock.forward(hours=8, minutes=1)
    page = client.get(reverse("registry:finder"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:login"))


def test_a_session_in_use_outlasts_the_limit(client_for, monkeypatch):
    clock = Clock(monkeypatch)
    client = client_for("analyst")
    for _ in range(5):  # 5 × 5 hours: 25 hours, never idle for 8
        clock.forward(hours=5)
        assert signed_in(client)


def test_the_idle_time_is_a_setting(monkeypatch):
    assert settings_from(monkeypatch, {})["SESSION_COOKIE_AGE"] == 8 * 3600
    found = settings_from(monkeypatch, {"ICTMONITOR_SESSION_IDLE_MINUTES": "30"})
    assert found["SESSION_COOKIE_AGE"] == 1800


def test_a_session_is_saved_again_at_most_every_five_minutes(client_for, monkeypatch):
    from django.contrib.sessions.models import Session

    clock = Clock(monkeypatch)
    client = client_for("analyst")
    assert signed_in(client)
    expiry = Session.objects.get().expire_date
    clock.forward(minutes=4)
    assert signed_in(client)
    assert Session.objects.get().expire_date == expiry  # a read wrote nothing
    clock.forward(minutes=1)
    assert signed_in(client)
    assert Session.objects.get().expire_date >= expiry + timedelta(minutes=5)  # renewed
    assert refresh_step(30 * 60) == 180  # a short idle time is renewed more often


@pytest.mark.parametrize("forged", ["0" * 32, "not a key\x00", "é" * 10, "a" * 41])
def test_a_forged_session_cookie_is_no_session(client, forged):
    client.cookies["sessionid"] = forged
    page = client.get(reverse("registry:finder"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:login"))
