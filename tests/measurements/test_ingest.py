"""The agents' ingest: a device's batch, each item accepted, a duplicate or refused with its
reason (contracts/measurements.md); rollups per line and day kept up to date."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from ictmonitor.core.models import AuditEntry
from ictmonitor.measurements import ingest
from ictmonitor.measurements.models import DailyRollup, Measurement
from ictmonitor.measurements.refusals import ItemRefused

pytestmark = pytest.mark.django_db
BATCHES = "/api/v1/measurements/batches"


def post(secret: str, items: list[dict[str, Any]]) -> Any:
    return Client().post(BATCHES, {"measurements": items}, content_type="application/json",
                         headers={"Authorization": f"Bearer {secret}"})


SPEED = {"key": "s1", "measured_at": "2026-03-02T09:15:00+01:00", "kind": "speed",
         "path": "primary", "download_mbps": 93.5, "upload_mbps": 18.25, "latency_ms": 12.1,
         "jitter_ms": 1.4}
PING = {"key": "p1", "measured_at": "2026-03-02T09:30:00Z", "kind": "ping", "path": "primary",
        "reachable": 1, "latency_ms": 11, "loss_pct": 0}
FAILOVER = {"key": "f1", "measured_at": "2026-03-02T18:00:00+01:00", "kind": "failover",
            "path": "backup"}


def test_a_batch_is_stored_once_and_rolled_up(device: Any, line: Any) -> None:
    token, secret = device
    first = post(secret, [SPEED, PING, FAILOVER])
    assert first.status_code == 200, first.content
    assert first.json()["accepted"] == 3
    again = post(secret, [SPEED, {**PING, "measured_at": "2026-03-02T10:30:00+01:00"}, FAILOVER])
    assert again.json() == {"accepted": 0, "duplicates": 3, "refused": 0, "results": [
        {"index": 0, "key": "s1", "status": "duplicate", "reason": None},
        {"index": 1, "key": "p1", "status": "duplicate", "reason": None},
        {"index": 2, "key": "f1", "status": "duplicate", "reason": None}]}
    rows = Measurement.objects.order_by("measured_at")
    assert [(r.kind, r.line_id, r.device, r.token_id) for r in rows] == [
        ("speed", line.pk, "pi-1", token.pk), ("ping", line.pk, "pi-1", token.pk),
        ("failover", line.pk, "pi-1", token.pk)]
    rollup = DailyRollup.objects.get()
    assert (rollup.line_id, str(rollup.day)) == (line.pk, "2026-03-02")
    assert (rollup.speed_tests, rollup.speed_tests_school_hours) == (1, 1)
    assert rollup.download_school_hours == [93.5]
    assert rollup.upload_school_hours == [18.25]
    assert (rollup.pings, rollup.pings_reachable, rollup.pings_school_hours) == (1, 1, 1)
    assert (rollup.failovers, rollup.returns) == (1, 0)
    assert AuditEntry.objects.filter(table="measurements.measurement").count() == 1


def test_rollups_follow_later_posts_of_the_same_day(device: Any) -> None:
    _token, secret = device
    post(secret, [SPEED])
    evening = {**SPEED, "key": "s2", "measured_at": "2026-03-02T20:00:00+01:00",
               "download_mbps": 40}
    saturday = {**SPEED, "key": "s3", "measured_at": "2026-03-07T10:00:00+01:00"}
    later = {**SPEED, "key": "s4", "measured_at": "2026-03-02T16:59:00+01:00",
             "download_mbps": 80}
    down = {**PING, "key": "p2", "reachable": 0, "measured_at": "2026-03-02T07:00:00+01:00"}
    assert post(secret, [evening, saturday, later, down]).json()["accepted"] == 4
    monday, sat = DailyRollup.objects.order_by("day")
    assert monday.speed_tests == 3
    assert monday.download_school_hours == [80, 93.5]  # 20:00 is out of school hours
    assert (monday.pings, monday.pings_reachable, monday.pings_school_hours) == (1, 0, 0)
    assert (sat.speed_tests, sat.speed_tests_school_hours) == (1, 0)


def test_a_day_in_brussels_is_its_own(device: Any) -> None:
    """23:30Z on 2 March is 00:30 on 3 March in Brussels."""
    _token, secret = device
    post(secret, [{**PING, "measured_at": "2026-03-02T23:30:00Z"}])
    assert str(DailyRollup.objects.get().day) == "2026-03-03"


@pytest.mark.parametrize(("change", "reason"), [
    ({"measured_at": "2026-03-02T09:15:00"}, "measured_at: '2026-03-02T09:15:00' has no offset"),
    ({"measured_at": "2014-12-31T09:15:00Z"}, "is before 2015"),
    ({"measured_at": "2099-01-01T09:15:00Z"}, "more than one hour in the future"),
    ({"measured_at": "yesterday"}, "is not an ISO 8601"),
    ({"kind": "trace"}, "kind: 'trace' is not speed, ping or failover"),
    ({"path": "wifi"}, "path: 'wifi' is not primary or backup"),
    ({"download_mbps": None}, "download_mbps: required for kind speed"),
    ({"download_mbps": -1}, "download_mbps: -1 is negative"),
    ({"loss_pct": 101}, "loss_pct: 101 is above 100"),
    ({"upload_mbps": 10**400}, "upload_mbps: too large a number"),
    ({"download_mbps": "1e400"}, "download_mbps: '1e400' is negative or not a number"),
    ({"reachable": 1}, "reachable: must be empty for kind speed"),
    ({"colour": "red"}, "unknown field 'colour'"),
])
def test_each_wrong_item_is_refused_naming_its_field(device: Any, change: dict,
                                                      reason: str) -> None:
    _token, secret = device
    answer = post(secret, [PING, {**SPEED, **change}]).json()
    assert answer["accepted"] == 1 and answer["refused"] == 1
    refused = answer["results"][1]
    assert (refused["index"], refused["key"], refused["status"]) == (1, "s1", "refused")
    assert reason in refused["reason"]
    assert Measurement.objects.count() == 1


def test_a_ping_needs_reachable_and_a_failover_no_speeds(device: Any) -> None:
    _token, secret = device
    answer = post(secret, [{**PING, "reachable": None}, {**FAILOVER, "download_mbps": 3}]).json()
    assert [r["reason"] for r in answer["results"]] == [
        "reachable: required for kind ping (1 or 0)",
        "download_mbps: must be empty for kind failover"]


def test_backup_is_refused_at_a_line_without_the_module(device: Any, line: Any) -> None:
    _token, secret = device
    line.modules = 0
    line.save()
    answer = post(secret, [FAILOVER]).json()
    assert answer["results"][0]["reason"] == (
        "path: backup, but line telenet/T-77 has no backup-line module")


def test_a_measurement_where_no_line_is_active_is_kept_without_one(device: Any, line: Any) -> None:
    _token, secret = device
    assert post(secret, [{**PING, "measured_at": "2024-06-03T10:00:00+02:00"}]).json()[
        "accepted"] == 1
    assert Measurement.objects.get().line_id is None
    rollup = DailyRollup.objects.get()
    assert (rollup.line_id, rollup.location_id, rollup.pings) == (None, line.location_id, 1)


def test_the_same_item_twice_in_one_batch_is_stored_once(device: Any) -> None:
    _token, secret = device
    same_instant = {**SPEED, "key": "s1-again", "measured_at": "2026-03-02T08:15:00Z"}
    answer = post(secret, [SPEED, same_instant]).json()
    assert [r["status"] for r in answer["results"]] == ["accepted", "duplicate"]


def test_without_a_device_token_nothing_is_stored(device: Any, client_for: Any) -> None:
    assert Client().post(BATCHES, {"measurements": [SPEED]},
                         content_type="application/json").status_code == 401
    assert post("ictd_nothing_here", [SPEED]).status_code == 401
    analyst = client_for("analyst")  # a user's session is no device's
    assert analyst.post(BATCHES, {"measurements": [SPEED]},
                        content_type="application/json").status_code == 401
    assert Measurement.objects.count() == 0


def test_a_batch_of_more_than_500_is_refused_whole(device: Any) -> None:
    _token, secret = device
    assert post(secret, [PING] * 501).status_code == 422


def test_the_reasons_are_in_dutch_when_the_agent_asks_for_it(device: Any) -> None:
    """Issue 17 item 4: English by default, Dutch with Accept-Language: nl."""
    _token, secret = device
    items = [{**SPEED, "kind": "trace"}, {**PING, "measured_at": "2014-12-31T09:15:00Z"}]
    dutch = Client().post(BATCHES, {"measurements": items}, content_type="application/json",
                          headers={"Authorization": f"Bearer {secret}",
                                   "Accept-Language": "nl-BE,nl;q=0.9"}).json()
    assert [r["reason"] for r in dutch["results"]] == [
        "kind: 'trace' is niet speed, ping of failover",
        "measured_at: '2014-12-31T09:15:00Z' ligt vóór 2015"]
    assert [r["reason"] for r in post(secret, items).json()["results"]] == [
        "kind: 'trace' is not speed, ping or failover",
        "measured_at: '2014-12-31T09:15:00Z' is before 2015"]


@pytest.mark.parametrize("value", [0, 7, 93.5, 100, 100.5, 1e305, 10**400, -1, -0.0, True, "12.5",
                                   "", None, float("nan"), float("inf"), [1]])
@pytest.mark.parametrize("name", ["download_mbps", "loss_pct"])
def test_a_number_checked_at_once_is_read_as_the_careful_check_reads_it(name: str,
                                                                         value: Any) -> None:
    """parse takes a plain number within bounds at once (ingest.MEASURES) and leaves anything
    else to `decimal`, which says why: both give the same value or the same refusal."""
    item = {**SPEED, name: value}
    careful: Any
    try:
        careful = ingest.decimal(item, name, required=name == "download_mbps", allowed=True,
                                 most=100.0 if name == "loss_pct" else None)
    except ItemRefused as refused:
        careful = str(refused)
    try:
        quick: Any = ingest.parse(item)[name]
    except ItemRefused as refused:
        quick = str(refused)
    assert quick == careful or (quick != quick and careful != careful)  # NaN is itself


@pytest.mark.parametrize("value", ["2026-03-02T09:15:00+01:00", "2026-03-02T08:15:00Z",
                                   " 2026-03-02T08:15:00Z ", "2026-03-02T09:15:00",
                                   "2015-01-01T00:00:00Z", "2014-12-31T23:59:59Z",
                                   "2015-01-01T00:30:00+01:00", "2099-01-01T00:00:00Z",
                                   "2026-03-02", "yesterday", "", 20260302, None])
def test_a_time_checked_at_once_is_read_as_the_careful_check_reads_it(value: Any) -> None:
    """parse takes an ISO time with its offset within bounds at once and leaves anything else
    to `measured_at`, which says why: both give the same moment or the same refusal."""
    careful: Any
    try:
        careful = ingest.measured_at(value)
    except ItemRefused as refused:
        careful = str(refused)
    try:
        quick: Any = ingest.parse({**SPEED, "measured_at": value})["measured_at"]
    except ItemRefused as refused:
        quick = str(refused)
    assert quick == careful
    assert not isinstance(quick, datetime) or quick.tzinfo == UTC
