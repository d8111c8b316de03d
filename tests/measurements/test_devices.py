"""Device tokens: issued per location by its coordinator, a provider serving it or the admin;
at most five in force per location; revoked, a token posts nothing more."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from ictmonitor.connectivity.models import Provider
from ictmonitor.core import bearer
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import WriteRefused
from ictmonitor.measurements import tokens
from ictmonitor.measurements.models import DeviceToken, Measurement

pytestmark = pytest.mark.django_db
BATCHES = "/api/v1/measurements/batches"
PING = {"measured_at": "2026-03-02T09:30:00Z", "kind": "ping", "path": "primary", "reachable": 1}


def page(number: str) -> str:
    return reverse("measurements:devices", args=[number])


def test_a_location_has_at_most_five_devices_in_force(locations: list[Any]) -> None:
    first, second = locations
    made = [tokens.issue(first, f"pi-{n}", "test")[0] for n in range(5)]
    with pytest.raises(WriteRefused, match="hoogstens 5 meettoestellen"):
        tokens.issue(first, "pi-5", "test")
    tokens.issue(second, "pi-5", "test")  # another location counts its own
    tokens.revoke(made[0], "test")
    tokens.issue(first, "pi-0", "test")  # a revoked device's id may have a new token
    with pytest.raises(WriteRefused, match="hoogstens 5 meettoestellen"):
        tokens.issue(first, "pi-6", "test")


def test_a_prefix_in_use_is_drawn_again(locations: list[Any]) -> None:
    first, _secret = tokens.issue(locations[0], "pi-1", "test")
    tokens.revoke(first, "test")  # a revoked token keeps its prefix
    drawn = iter([first.prefix, "0badcafe"])
    with mock.patch.object(bearer.secrets, "token_hex", lambda size: next(drawn)), \
            mock.patch.object(bearer.secrets, "token_urlsafe", lambda size: "x"):
        token, secret = tokens.issue(locations[0], "pi-2", "test")
    assert (token.prefix, secret) == ("0badcafe", "ictd_0badcafe_x")
    assert tokens.authenticate(secret) == token


def test_a_device_id_is_letters_digits_dash_underscore(locations: list[Any]) -> None:
    for wrong in ("", "pi 1", "pi/1", "x" * 41):
        with pytest.raises(WriteRefused):
            tokens.issue(locations[0], wrong, "test")
    tokens.issue(locations[0], "Pi_1-a", "test")
    with pytest.raises(WriteRefused, match="heeft al een token"):
        tokens.issue(locations[0], "Pi_1-a", "test")


def test_only_a_digest_is_stored_and_every_write_is_audited(locations: list[Any]) -> None:
    token, secret = tokens.issue(locations[0], "pi-1", "coordinator-x")
    assert secret.startswith(f"ictd_{token.prefix}_")
    assert secret not in str(list(DeviceToken.objects.values()))
    assert tokens.authenticate(secret) == token
    tokens.revoke(token, "coordinator-x")
    assert tokens.authenticate(secret) is None
    with pytest.raises(WriteRefused, match="al ingetrokken"):
        tokens.revoke(token, "coordinator-x")
    entries = AuditEntry.objects.filter(table="measurements.devicetoken").order_by("id")
    assert [(e.action, e.actor) for e in entries] == [("create", "coordinator-x"),
                                                      ("update", "coordinator-x")]
    assert secret not in str(list(entries.values()))
    token.refresh_from_db()
    assert token.changed_by == "coordinator-x"


def test_a_revoked_token_posts_nothing(device: Any) -> None:
    token, secret = device
    bearer = {"Authorization": f"Bearer {secret}"}
    assert Client().post(BATCHES, {"measurements": [PING]}, content_type="application/json",
                         headers=bearer).json()["accepted"] == 1
    tokens.revoke(token, "test")
    later = {**PING, "measured_at": "2026-03-02T09:45:00Z"}
    assert Client().post(BATCHES, {"measurements": [later]}, content_type="application/json",
                         headers=bearer).status_code == 401
    assert Measurement.objects.count() == 1


def test_the_coordinator_issues_and_revokes_on_the_page(school: Any, locations: list[Any],
                                                        client_for: Any) -> None:
    coordinator = client_for("coordinator", institutions=[school])
    shown = coordinator.post(page(school.number), {"action": "issue",
                                                   "location": locations[1].pk,
                                                   "device": "kleuter-pi"})
    assert shown.status_code == 200
    token = DeviceToken.objects.get()
    assert (token.location, token.device) == (locations[1], "kleuter-pi")
    secret = shown.context["secret"]
    assert tokens.authenticate(secret) == token and secret in shown.content.decode()
    again = coordinator.get(page(school.number)).content.decode()
    assert secret not in again
    assert "Meettoestellen van De Leieboot" in again and "hoogstens 5 toestellen" in again
    revoked = coordinator.post(page(school.number), {"action": "revoke", "token": token.pk})
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_provider_equips_only_the_locations_its_lines_serve(school: Any, locations: list[Any],
                                                              line: Any,
                                                              client_for: Any) -> None:
    telenet = client_for("provider", provider=Provider.objects.get(code="telenet"))
    listed = telenet.get(page(school.number))
    assert [loc.number for loc in listed.context["locations"]] == ["1"]
    refused = telenet.post(page(school.number), {"action": "issue", "location": locations[1].pk,
                                                 "device": "x"})
    assert refused.status_code == 404
    assert telenet.post(page(school.number), {"action": "issue", "location": locations[0].pk,
                                              "device": "telenet-probe"}).status_code == 200
    proximus = client_for("provider", provider=Provider.objects.get(code="proximus"))
    assert proximus.get(page(school.number)).status_code == 404
    assert DeviceToken.objects.count() == 1


def test_another_schools_coordinator_and_other_roles_cannot(school: Any, locations: list[Any],
                                                            client_for: Any) -> None:
    assert client_for("coordinator").get(page(school.number)).status_code == 404
    for role in ("analyst", "board"):
        assert client_for(role).get(page(school.number)).status_code == 403
    assert client_for("admin").get(page(school.number)).status_code == 200


def test_a_refused_issue_is_shown_not_raised(school: Any, locations: list[Any],
                                              client_for: Any) -> None:
    coordinator = client_for("coordinator", institutions=[school])
    answer = coordinator.post(page(school.number), {"action": "issue",
                                                    "location": locations[0].pk,
                                                    "device": "bad id"}, follow=True)
    assert answer.status_code == 200
    assert DeviceToken.objects.count() == 0
    assert [m.level_tag for m in answer.context["messages"]] == ["error"]


@pytest.mark.parametrize("odd", ["\u00b2", "1\u00b2", "9" * 30, "-1", ""])
def test_an_odd_token_or_location_number_is_not_found(school: Any, locations: list[Any],
                                                       client_for: Any, odd: str) -> None:
    coordinator = client_for("coordinator", institutions=[school])
    assert coordinator.post(page(school.number), {"action": "revoke",
                                                  "token": odd}).status_code == 404
    assert coordinator.post(page(school.number), {"action": "issue", "location": odd,
                                                  "device": "pi-1"}).status_code == 404
    assert DeviceToken.objects.count() == 0
