"""Releases: an analyst publishes a reference date (command or button); the public pages and
downloads serve only those dates, and say so when asked for another."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import WriteRefused
from ictmonitor.reports.models import Release
from ictmonitor.reports.releases import publish_release
from ictmonitor.reports.selectors import release_dates

pytestmark = pytest.mark.django_db

PAGE = reverse("public:report", kwargs={"report_id": "schools"})
JSON = reverse("public:download", kwargs={"report_id": "schools", "fmt": "json"})


def test_a_release_is_recorded_with_who_and_when_and_audited():
    release = publish_release(date(2021, 3, 1), by="anna")
    assert release.changed_by == "anna" and release.created_at is not None
    entry = AuditEntry.objects.get(table="reports.release")
    assert entry.actor == "anna" and entry.object_key == "2021-03-01"
    assert release_dates() == [date(2021, 3, 1)]


@pytest.mark.parametrize(("day", "reason"), [
    (date(2021, 3, 1), "already a release"),
    (date(2020, 1, 1), "before the latest release, 2021-03-01"),
    (timezone.localdate() + timedelta(days=1), "not over yet"),
    (timezone.localdate(), "not over yet"),  # what is recorded later today would change it
])
def test_a_release_must_come_after_the_latest_and_not_after_today(day, reason):
    publish_release(date(2021, 3, 1), by="anna")
    with translation.override("en"), pytest.raises(WriteRefused, match=reason):
        publish_release(day, by="anna")
    assert Release.objects.count() == 1


def test_the_publish_command_records_the_release_and_writes_its_files(tmp_path):
    out = StringIO()
    call_command("publish", at="2021-03-01", output=tmp_path, stdout=out, stderr=StringIO())
    assert release_dates() == [date(2021, 3, 1)]
    assert (tmp_path / "datapackage.json").is_file() and (tmp_path / "pupils.csv").is_file()
    with translation.override("en"), pytest.raises(
            CommandError, match="--at 2020-01-01: 2020-01-01 is before the latest"):
        call_command("publish", at="2020-01-01", stdout=StringIO(), stderr=StringIO())


def test_an_analyst_publishes_a_release_with_the_button(client_for):
    analyst = client_for("analyst")
    page = analyst.get(reverse("reports:dashboard")).content.decode()
    assert 'action="/reports/releases/"' in page
    answer = analyst.post(reverse("reports:release"), {"on": "2021-03-01"}, follow=True)
    assert release_dates() == [date(2021, 3, 1)]
    assert "2021-03-01" in answer.content.decode()
    again = analyst.post(reverse("reports:release"), {"on": "2021-03-01"}, follow=True)
    assert "al gepubliceerd" in again.content.decode()
    assert Release.objects.count() == 1


def test_a_refused_release_is_told_in_the_analysts_language(client_for):
    analyst = client_for("analyst")
    analyst.post(reverse("reports:release"), {"on": "2021-03-01"})
    for day, dutch in [("2021-03-01", "2021-03-01 is al gepubliceerd."),
                       ("2020-01-01", "2020-01-01 ligt vóór de laatste publicatie, 2021-03-01")]:
        answer = analyst.post(reverse("reports:release"), {"on": day}, follow=True)
        assert dutch in answer.content.decode()
    with translation.override("nl"), pytest.raises(WriteRefused, match="nog niet voorbij"):
        publish_release(timezone.localdate(), by="anna")


def test_the_command_and_the_button_offer_yesterday_not_today(client_for):
    yesterday = timezone.localdate() - timedelta(days=1)
    page = client_for("analyst").get(reverse("reports:dashboard")).content.decode()
    assert f'value="{yesterday.isoformat()}"' in page
    call_command("publish", stdout=StringIO(), stderr=StringIO())
    assert release_dates() == [yesterday]


def test_public_pages_serve_the_latest_release_and_refuse_any_other_date():
    visitor = Client()
    visitor.cookies["django_language"] = "en"
    nothing = visitor.get(PAGE)
    assert nothing.status_code == 400 and "Nothing has been published yet" in \
        nothing.content.decode()
    publish_release(date(2021, 3, 1), by="t")
    publish_release(date(2022, 3, 1), by="t")
    assert visitor.get(JSON).json()["parameters"]["at"] == "2022-03-01"
    assert visitor.get(JSON, {"at": "2021-03-01"}).json()["parameters"]["at"] == "2021-03-01"
    for asked in [PAGE, JSON]:
        refused = visitor.get(asked, {"at": "2021-06-15"})
        assert refused.status_code == 400
        text = refused.content.decode()
        assert "2022-03-01, 2021-03-01" in text  # the dates there are, newest first
    page = visitor.get(PAGE).content.decode()
    assert '<option value="2022-03-01" selected>' in page
