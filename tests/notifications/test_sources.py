"""Each source of notifications: who hears of what, once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from ictmonitor.connectivity.models import Offer, Request
from ictmonitor.core.recording import stamp
from ictmonitor.jobs.models import Job
from ictmonitor.measurements.models import Alert
from ictmonitor.notifications import kinds
from ictmonitor.notifications.models import Notification
from ictmonitor.notifications.selectors import with_texts
from ictmonitor.notifications.services import run_daily
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution, Location
from ictmonitor.vouchers.models import Wave
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(tmp_path):
    write(tmp_path / "schools.csv", [row(schoolnummer="1001", naam="GO! basisschool De Test")])
    import_school_list(tmp_path / "schools.csv", actor="t")
    return Institution.objects.get(number="1001")


def made():
    return stamp("t", timezone.now(), created=True)


def told(user) -> list[str]:
    """The texts of the user's notifications, in English."""
    with translation.override("en"):
        return [text for _note, text in with_texts(Notification.objects.filter(user=user))]


def test_a_confirmed_request_reaches_who_sent_it_and_the_coordinators(user_factory, school,
                                                                       provider):
    sender = user_factory("coordinator", institutions=[school])
    colleague = user_factory("coordinator", institutions=[school])
    offer = Offer.objects.create(code="managed-test", name_nl="Beheerd", name_en="Managed")
    request = Request.objects.create(
        location=Location.objects.get(institution=school), provider=provider, offer=offer,
        download_mbps=100, upload_mbps=20, monthly_eur=Decimal("40.00"), submitted_by=sender)
    run_daily()
    assert not Notification.objects.exists()  # not confirmed yet
    Request.objects.filter(pk=request.pk).update(status=Request.Status.CONFIRMED,
                                                 confirmed_at=timezone.now())
    run_daily(timezone.now() + timedelta(minutes=1))
    expected = ["Telenet confirmed the line requested for GO! basisschool De Test (Managed)."]
    assert told(sender) == expected and told(colleague) == expected


def test_an_open_wave_reaches_every_coordinator_once(user_factory):
    coordinator = user_factory("coordinator")
    analyst = user_factory("analyst")
    today = timezone.localdate()
    Wave.objects.create(code="2026-winter", name_nl="Winter 2026", name_en="Winter 2026",
                        opens_on=today, closes_on=today + timedelta(days=20), **made())
    run_daily()
    run_daily(timezone.now() + timedelta(days=1))
    assert len(told(coordinator)) == 1 and "Winter 2026 takes requests until" in told(
        coordinator)[0]
    assert told(analyst) == []


def test_an_ended_job_reaches_who_started_it(user_factory):
    analyst = user_factory("analyst")
    run_daily()  # the run before the job ended
    Job.objects.create(kind="schools", file_name="scholen.csv", user=analyst, actor="a",
                       state=Job.State.FAILED, finished_at=timezone.now())
    run_daily(timezone.now() + timedelta(minutes=5))
    assert told(analyst) == ["Your import of scholen.csv failed."]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [analyst.email]


def test_a_device_gone_quiet_reaches_the_school_and_its_provider(user_factory, school, provider):
    coordinator = user_factory("coordinator", institutions=[school])
    provider_user = user_factory("provider", provider=provider)
    other_provider = user_factory("provider")
    Alert.objects.create(kind=Alert.Kind.DEVICE_DROPPED, subject="device:1:pi",
                         location=Location.objects.get(institution=school), provider=provider,
                         device="pi", details={"last_measured_at": "2026-01-05T10:00:00+01:00"},
                         raised_at=timezone.now(), **made())
    run_daily(timezone.now() + timedelta(minutes=1))
    assert told(coordinator) == told(provider_user) == [
        "The measuring device at GO! basisschool De Test (GO! basisschool De Test) has sent "
        "nothing since Jan. 5, 2026."]
    assert told(other_provider) == []
    assert Notification.objects.filter(kind=kinds.LINE_ALERT).count() == 2
