"""Login throttling behind the proxy: counted by user name and address together, by address
and by user name, each with its own limit; a client's address is the one the proxy saw."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ictmonitor.accounts.throttling import scaled_failures
from tests.deployment import apply_variables

pytestmark = [pytest.mark.axes, pytest.mark.django_db]

PROXY = {"ICTMONITOR_PROXY_COUNT": "1"}
WRONG = "not-the-password"


def limit(settings: Any, *fields: str) -> int:
    """The limit of the throttling rule counting by these fields."""
    return next(n for rule, n in settings.LOGIN_THROTTLE_RULES if tuple(rule) == fields)


def login(username: str, password: str, address: str) -> int:
    """The status of a login through the proxy from a client at this address (302: in)."""
    page = Client().post(reverse("accounts:login"), {"username": username, "password": password},
                         REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)
    return page.status_code


@pytest.fixture
def behind_proxy(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    apply_variables(settings, monkeypatch, PROXY)


@pytest.fixture
def small_limits(settings: Any) -> None:
    """Lower limits in the rules' order, for fewer tries (each checks a password: slow)."""
    settings.LOGIN_THROTTLE_RULES = [(["username", "ip_address"], 3), (["ip_address"], 6),
                                     (["username"], 9)]


def test_wrong_passwords_from_one_address_lock_that_user_there_only(behind_proxy, settings,
                                                                     user_factory, password):
    user_factory("analyst", username="juf")
    user_factory("analyst", username="meester")
    attacker, juf_at_school, elsewhere = "198.51.100.9", "203.0.113.10", "203.0.113.20"
    statuses = [login("juf", WRONG, attacker) for _ in range(limit(settings, "username",
                                                                     "ip_address"))]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}
    assert login("juf", password, attacker) == 429  # locked there, even with the password
    assert login("juf", password, juf_at_school) == 302  # the user herself, from her address
    assert login("meester", password, elsewhere) == 302  # anyone else
    assert login("meester", password, attacker) == 302  # another user from that address too


def test_one_password_against_many_user_names_from_one_address_is_throttled(
        behind_proxy, small_limits, settings, user_factory, password):
    user_factory("analyst", username="juf")
    sprayer = "198.51.100.9"
    tries = limit(settings, "ip_address")
    statuses = [login(f"user{n}", "Zomer2026!", sprayer) for n in range(tries)]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}
    assert login("juf", password, sprayer) == 429  # the whole address waits
    assert login("juf", password, "203.0.113.10") == 302  # other addresses do not


def test_logging_in_to_ones_own_account_does_not_clear_the_address_count(
        behind_proxy, small_limits, settings, user_factory, password):
    user_factory("analyst", username="mallory")
    sprayer = "198.51.100.9"
    for n in range(limit(settings, "ip_address") - 1):
        assert login(f"user{n}", "Zomer2026!", sprayer) == 200
        if n % 2 == 1:
            assert login("mallory", password, sprayer) == 302
    assert login("one-more", "Zomer2026!", sprayer) == 429


def test_one_user_name_tried_from_many_addresses_is_locked(behind_proxy, small_limits, settings,
                                                           user_factory, password):
    user_factory("analyst", username="juf")
    tries = limit(settings, "username")
    statuses = [login("juf", WRONG, f"198.51.100.{n}") for n in range(tries)]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}
    assert login("juf", password, "203.0.113.10") == 429


def test_a_client_cannot_choose_its_address_by_sending_x_forwarded_for(behind_proxy, settings,
                                                                       user_factory, password):
    user_factory("analyst", username="juf")
    attacker = "198.51.100.9"
    for n in range(limit(settings, "username", "ip_address")):
        # The proxy appends the address it saw after whatever the client sent.
        Client().post(reverse("accounts:login"), {"username": "juf", "password": WRONG},
                      REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, {attacker}")
    assert login("juf", password, attacker) == 429


def test_without_a_proxy_configured_the_header_is_not_believed(user_factory, password,
                                                               settings):
    user_factory("analyst", username="juf")
    for n in range(limit(settings, "username", "ip_address")):
        login("juf", WRONG, f"198.51.100.{n}")  # all from REMOTE_ADDR 127.0.0.1
    assert login("juf", password, "203.0.113.10") == 429


def test_the_scaled_count_reaches_the_scale_exactly_when_a_rule_reaches_its_limit():
    limits = [5, 20, 50]
    for counts in [(4, 19, 49), (5, 0, 0), (0, 20, 0), (0, 0, 50), (3, 19, 12), (6, 21, 51)]:
        reached = any(c >= n for c, n in zip(counts, limits, strict=True))
        assert (scaled_failures(list(counts), limits, 5) >= 5) == reached
