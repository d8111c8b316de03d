"""The agents' posts in a lane of their own (measurements/fastlane.py): a device's well-formed
batch is answered before Django's middleware stack, the same answer as the API operation's;
anything else goes through the stack and is answered exactly as without the lane. A post asks
the database three times: the token, the lines and stored keys, the waiting batch."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ictmonitor.measurements import tokens
from ictmonitor.measurements.models import ReceivedBatch

pytestmark = pytest.mark.django_db
BATCHES = "/api/v1/measurements/batches"
LANE = "ictmonitor.measurements.fastlane.AgentsFastLane"
PING = {"key": "p1", "measured_at": "2026-03-02T09:30:00Z", "kind": "ping", "path": "primary",
        "reachable": 1, "latency_ms": 11, "loss_pct": 0}
ITEMS = [PING, {**PING, "key": "p2", "measured_at": "2026-03-02T09:45:00Z"},
         {**PING, "key": "odd", "kind": "trace"}, {**PING, "key": "p1-again"}]


class Refuses:
    """A middleware that fails any request reaching it: what the lane answers never does."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raise AssertionError("the stack was reached")


@pytest.fixture(autouse=True)
def _fold_in_the_worker(settings: Any) -> None:
    settings.MEASUREMENTS_FOLD_IN_REQUEST = False


def post(secret: str | None, body: Any, **extra: Any) -> Any:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return Client().post(BATCHES, body, content_type=extra.pop("content_type",
                                                               "application/json"),
                         headers={**headers, **extra.pop("headers", {})}, **extra)


def test_the_lane_is_first_and_answers_without_the_stack(device: Any, settings: Any) -> None:
    assert django_settings.MIDDLEWARE[0] == LANE
    settings.MIDDLEWARE = [LANE, f"{__name__}.Refuses", *django_settings.MIDDLEWARE[1:]]
    _token, secret = device
    with CaptureQueriesContext(connection) as asked:
        answer = post(secret, {"measurements": ITEMS})
    assert answer.status_code == 200
    assert [r["status"] for r in answer.json()["results"]] == [
        "accepted", "accepted", "refused", "duplicate"]
    assert len(asked) == 3  # the token, the lines with the keys stored, the waiting batch
    assert answer["Content-Length"] == str(len(answer.content))
    assert (answer["X-Content-Type-Options"], answer["X-Frame-Options"]) == ("nosniff", "DENY")
    with pytest.raises(AssertionError, match="the stack was reached"):
        post(None, {"measurements": ITEMS})  # no token: the stack answers


def test_the_lane_answers_as_the_operation_does(device: Any, line: Any,
                                                settings: Any) -> None:
    token, secret = device
    dutch = {"headers": {"Accept-Language": "nl"}}
    fast = post(secret, {"measurements": ITEMS}, **dutch)
    assert ReceivedBatch.objects.get().count == 2
    tokens.revoke(token, "test")
    _other, again = tokens.issue(line.location, "pi-1", "test")  # a second device's first post
    settings.MIDDLEWARE = [m for m in django_settings.MIDDLEWARE if m != LANE]
    slow = post(again, {"measurements": ITEMS}, **dutch)
    assert (fast.status_code, fast.json()) == (slow.status_code, slow.json())
    assert "is niet speed, ping of failover" in fast.json()["results"][2]["reason"]


@pytest.mark.parametrize("case", ["no token", "wrong token", "revoked", "not json", "no list",
                                  "too many", "a form", "host not allowed", "a GET"])
def test_what_the_lane_does_not_take_is_answered_as_before(device: Any, case: str,
                                                           settings: Any) -> None:
    token, secret = device

    def send() -> Any:
        if case == "a GET":
            return Client().get(BATCHES, headers={"Authorization": f"Bearer {secret}"})
        body: Any = {"measurements": [PING]}
        extra: dict[str, Any] = {}
        key = {"no token": None, "wrong token": secret[:-2] + "xx"}.get(case, secret)
        if case == "not json":
            body = "{not json"
        if case == "no list":
            body = {"measurements": {"0": PING}}
        if case == "too many":
            body = {"measurements": [PING] * 501}
        if case == "a form":
            extra = {"content_type": "application/x-www-form-urlencoded"}
            body = "measurements=1"
        if case == "host not allowed":
            extra = {"headers": {"Host": "elsewhere.example"}}
        return post(key, body, **extra)

    if case == "revoked":
        tokens.revoke(token, "test")
    with_lane = send()
    settings.MIDDLEWARE = [m for m in django_settings.MIDDLEWARE if m != LANE]
    without = send()
    assert with_lane.status_code == without.status_code >= 400
    assert with_lane.content == without.content
    assert not ReceivedBatch.objects.exists()
