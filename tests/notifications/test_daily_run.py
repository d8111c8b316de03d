"""Notifications: the daily run finds what happened, tells each user once, in the app and in
one e-mail a day, as each user chose."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ictmonitor.assessment.models import Label
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import stamp
from ictmonitor.notifications import kinds
from ictmonitor.notifications.models import Mark, Notification, Preference
from ictmonitor.notifications.services import run_daily
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(tmp_path):
    write(tmp_path / "schools.csv", [row(schoolnummer="1001", naam="GO! basisschool De Test")])
    import_school_list(tmp_path / "schools.csv", actor="t")
    return Institution.objects.get(number="1001")


def label_running_out(school, days: int) -> Label:
    today = timezone.localdate()
    return Label.objects.create(institution=school, level="silver",
                                awarded_on=today - timedelta(days=500),
                                valid_until=today + timedelta(days=days),
                                **stamp("t", timezone.now(), created=True))


def test_a_coordinator_whose_label_runs_out_in_30_days_gets_the_email(user_factory, school):
    coordinator = user_factory("coordinator", institutions=[school], email="coord@example.org")
    other = user_factory("coordinator", email="other@example.org")  # another school's
    label_running_out(school, 30)
    result = run_daily()
    assert result.emails == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coord@example.org"]
    assert "GO! basisschool De Test" in message.body
    assert reverse("assessment:overview", args=["1001"]) in message.body
    assert "http://localhost:8000/notifications/preferences/" in message.body
    # Both notices (60 and 30 days) come in the one e-mail of the day, not two.
    keys = set(Notification.objects.filter(user=coordinator).values_list("key", flat=True))
    label = Label.objects.get()
    assert keys == {f"label:{label.pk}:60", f"label:{label.pk}:30"}
    assert not Notification.objects.filter(user=other).exists()
    # The next day's run tells nothing again.
    run_daily(timezone.now() + timedelta(days=1))
    assert len(mail.outbox) == 1


def test_a_label_with_more_than_60_days_left_is_not_announced(user_factory, school):
    user_factory("coordinator", institutions=[school])
    label_running_out(school, 61)
    assert run_daily().notifications == 0
    assert mail.outbox == []


def test_the_60_day_notice_comes_first_and_the_30_day_one_later(user_factory, school):
    user_factory("coordinator", institutions=[school])
    label = label_running_out(school, 45)
    run_daily()
    assert list(Notification.objects.values_list("key", flat=True)) == [f"label:{label.pk}:60"]
    Label.objects.filter(pk=label.pk).update(
        valid_until=timezone.localdate() + timedelta(days=30))
    run_daily()
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_a_user_who_chose_no_email_sees_it_in_the_app_only(client_for, user_factory, school):
    coordinator = user_factory("coordinator", institutions=[school])
    Preference.objects.create(user=coordinator, kind=kinds.LABEL_EXPIRING, in_app=True,
                              by_email=False, **stamp("t", timezone.now(), created=True))
    label_running_out(school, 20)
    run_daily()
    assert mail.outbox == []
    client = client_for(coordinator)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("notifications:list")).content.decode()
    assert "The Silver label of GO! basisschool De Test runs out on" in page
    assert "2 unread notifications" in page
    client.post(reverse("notifications:list"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_preferences_page_saves_each_choice_and_audits_it(client_for):
    client = client_for("coordinator")
    data = {f"{code}:app": "on" for code in kinds.KINDS} | {
        f"{code}:email": "on" for code in kinds.KINDS if code != kinds.JOB_ENDED}
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    saved = Preference.objects.get(user=client.user)
    assert (saved.kind, saved.in_app, saved.by_email) == (kinds.JOB_ENDED, True, False)
    assert AuditEntry.objects.filter(table="notifications.preference").count() == 1
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert page.count("checked") == 2 * len(kinds.KINDS) - 1


def test_a_new_framework_version_is_announced_once(user_factory):
    coordinator = user_factory("coordinator")
    run_daily()  # the first run notes the version in force
    assert not Notification.objects.filter(kind=kinds.FRAMEWORK_VERSION).exists()
    Mark.objects.filter(name="framework").update(value="0.9")
    run_daily()
    announced = Notification.objects.filter(user=coordinator, kind=kinds.FRAMEWORK_VERSION)
    assert announced.count() == 1


def test_an_address_added_later_brings_no_old_news(user_factory, school):
    coordinator = user_factory("coordinator", institutions=[school], email="")
    label_running_out(school, 20)
    run_daily()
    assert mail.outbox == []
    coordinator.email = "late@example.org"
    coordinator.save()
    run_daily(timezone.now() + timedelta(days=8))
    assert mail.outbox == []

