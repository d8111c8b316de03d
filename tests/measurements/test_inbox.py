"""An agent's post is answered once its items wait in the inbox; the fold adds them to the raw
table and the day rollups later (measurements/inbox.py), each key once, all or nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.measurements import inbox
from ictmonitor.measurements.ingest import parse
from ictmonitor.measurements.models import DailyRollup, DeviceToken, Measurement, ReceivedBatch

pytestmark = pytest.mark.django_db
BATCHES = "/api/v1/measurements/batches"
SPEED = {"key": "s1", "measured_at": "2026-03-02T09:15:00+01:00", "kind": "speed",
         "path": "primary", "download_mbps": 93.5, "upload_mbps": 18.25}
PING = {"key": "p1", "measured_at": "2026-03-02T09:30:00Z", "kind": "ping", "path": "primary",
        "reachable": 1, "latency_ms": 11, "loss_pct": 0}
FAILOVER = {"key": "f1", "measured_at": "2026-03-02T18:00:00+01:00", "kind": "failover",
            "path": "backup"}


@pytest.fixture(autouse=True)
def _fold_in_the_worker(settings: Any) -> None:
    settings.MEASUREMENTS_FOLD_IN_REQUEST = False


def post(secret: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    answer = Client().post(BATCHES, {"measurements": items}, content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200, answer.content
    found: dict[str, Any] = answer.json()
    return found


def test_a_post_is_answered_with_its_items_waiting_and_the_fold_adds_them(
        device: Any, line: Any) -> None:
    token, secret = device
    assert post(secret, [SPEED, PING, FAILOVER])["accepted"] == 3
    assert not Measurement.objects.exists() and not DailyRollup.objects.exists()
    waiting = ReceivedBatch.objects.get()
    assert (waiting.token_id, waiting.location_id, waiting.count) == (token.pk, line.location_id, 3)
    assert inbox.waiting([line.location_id]) == 3 and inbox.waiting([0]) == 0
    assert inbox.fold_all() == inbox.Folded(batches=1, rows=3, duplicates=0)
    assert not ReceivedBatch.objects.exists() and inbox.waiting() == 0
    rows = Measurement.objects.order_by("measured_at")
    assert [(r.kind, r.line_id, r.device, r.token_id, r.received_at) for r in rows] == [
        (kind, line.pk, "pi-1", token.pk, waiting.received_at)
        for kind in ("speed", "ping", "failover")]
    rollup = DailyRollup.objects.get()
    assert (rollup.speed_tests_school_hours, rollup.download_school_hours) == (1, [93.5])
    assert (rollup.pings_reachable_school_hours, rollup.failovers) == (1, 1)
    entry = AuditEntry.objects.get(table="measurements.measurement")
    assert (entry.actor, entry.changes) == (f"device pi-1 ({token.prefix}…)",
                                            {"rows": [None, 3]})
    assert DeviceToken.objects.get(pk=token.pk).last_used_at == waiting.received_at


def test_posting_twice_and_folding_twice_doubles_nothing(device: Any) -> None:
    _token, secret = device
    assert post(secret, [SPEED, PING])["accepted"] == 2
    resent = post(secret, [PING, {**SPEED, "measured_at": "2026-03-02T08:15:00Z"}])
    assert resent["accepted"] == 2  # not folded yet: the fold finds them stored
    assert inbox.fold_all() == inbox.Folded(batches=2, rows=2, duplicates=2)
    assert inbox.fold_all() == inbox.Folded()
    assert post(secret, [SPEED, PING])["duplicates"] == 2  # stored now: said at once
    assert not ReceivedBatch.objects.exists()
    assert Measurement.objects.count() == 2
    rollup = DailyRollup.objects.get()
    assert (rollup.speed_tests, rollup.pings) == (1, 1)


def test_a_stored_key_waiting_again_is_dropped_by_the_fold(device: Any) -> None:
    """A batch held in the inbox while its items were stored by other means (a file) adds
    nothing when folded."""
    token, secret = device
    post(secret, [PING])
    inbox.fold_all()
    ReceivedBatch.objects.create(token=token, location=token.location,
                                 received_at=Measurement.objects.get().received_at,
                                 items=[inbox.as_item(_values(PING))], count=1,
                                 first_measured_at=_values(PING)["measured_at"],
                                 last_measured_at=_values(PING)["measured_at"])
    assert inbox.fold_all() == inbox.Folded(batches=1, rows=0, duplicates=1)
    assert Measurement.objects.count() == 1 and DailyRollup.objects.get().pings == 1


def test_a_fold_stopped_midway_leaves_the_inbox_as_it_was(device: Any,
                                                          monkeypatch: Any) -> None:
    _token, secret = device
    post(secret, [SPEED, PING])

    def stopped(*args: Any) -> None:
        raise RuntimeError("the worker was killed")

    monkeypatch.setattr(inbox.rollups, "add_staged", stopped)
    with pytest.raises(RuntimeError):
        inbox.fold_all()
    assert not Measurement.objects.exists() and not AuditEntry.objects.filter(
        table="measurements.measurement").exists()
    assert ReceivedBatch.objects.get().count == 2
    monkeypatch.undo()
    assert inbox.fold_all().rows == 2
    assert DailyRollup.objects.get().speed_tests == 1


def test_a_line_removed_before_the_fold_leaves_its_items_without_a_line(device: Any,
                                                                         line: Any) -> None:
    _token, secret = device
    post(secret, [PING])
    line.delete()
    assert inbox.fold_all().rows == 1
    assert Measurement.objects.get().line_id is None
    assert DailyRollup.objects.get().line_id is None


def test_refused_items_are_answered_with_their_reason_and_never_wait(device: Any) -> None:
    _token, secret = device
    answer = post(secret, [PING, {**SPEED, "measured_at": "2026-03-02T09:15:00"}])
    assert [r["status"] for r in answer["results"]] == ["accepted", "refused"]
    assert "has no offset" in answer["results"][1]["reason"]
    assert ReceivedBatch.objects.get().count == 1
    nothing = post(secret, [{**PING, "kind": "trace"}])
    assert nothing["refused"] == 1 and ReceivedBatch.objects.count() == 1


def test_the_school_page_says_what_is_still_being_added(device: Any, line: Any,
                                                        client_for: Any) -> None:
    _token, secret = device
    page = f"/measurements/school/{line.location.institution.number}/"
    post(secret, [SPEED, PING])
    shown = client_for("admin").get(page, headers={"accept-language": "en"})
    assert "2 measurements the devices sent are still being added" in shown.content.decode()
    inbox.fold_all()
    assert "still being added" not in client_for("admin").get(
        page, headers={"accept-language": "en"}).content.decode()


def test_the_worker_folds_once_the_posts_are_quiet_or_have_waited_long_enough(
        device: Any, monkeypatch: Any) -> None:
    """The chore (inbox.fold_when_quiet) leaves a burst of posts to the servers: it folds
    once no post came for QUIET_SECONDS, or once the oldest has waited LONGEST_WAIT_SECONDS
    (here a minute and ten, so a slow machine does not fold before it is asked)."""
    monkeypatch.setattr(inbox, "QUIET_SECONDS", 60.0)
    monkeypatch.setattr(inbox, "LONGEST_WAIT_SECONDS", 600.0)
    _token, secret = device
    assert not inbox.due()
    post(secret, [PING])
    assert inbox.fold_when_quiet() == inbox.Folded()  # posts are arriving: not yet
    assert ReceivedBatch.objects.count() == 1
    now = timezone.now()
    assert inbox.due(now + timedelta(seconds=60)) and not inbox.due(now)
    post(secret, [SPEED])  # posts keep arriving: the oldest sets the bound
    ReceivedBatch.objects.filter(count=1, received_at__lt=now).update(
        received_at=now - timedelta(seconds=600))
    assert inbox.fold_when_quiet() == inbox.Folded(batches=2, rows=2, duplicates=0)
    post(secret, [{**PING, "measured_at": "2026-03-02T09:45:00Z"}])
    assert inbox.fold_when_quiet() == inbox.Folded()
    ReceivedBatch.objects.update(received_at=now - timedelta(seconds=60))
    assert inbox.fold_when_quiet().rows == 1  # quiet since: folded
    assert not ReceivedBatch.objects.exists() and Measurement.objects.count() == 3


def _values(item: dict[str, Any]) -> dict[str, Any]:
    return {**parse(item), "line_id": None}
