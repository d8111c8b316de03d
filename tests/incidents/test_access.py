"""Who may open the incident log: the school's coordinator records, lists and corrects; its
board reads; the department (analyst, admin) and providers see no school's log, only the
report; another school's people get 404, as for a school that does not exist. The same on the
API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ictmonitor.incidents.models import Incident

pytestmark = pytest.mark.django_db

BODY = {"occurred_on": "2026-03-02", "kind": "grooming", "severity": "high",
        "told": ["parents", "police", "1712"], "actions": "Contact blocked, police told."}


def test_each_role_on_the_pages(clients, schools, record):
    incident = record(schools.basis)
    number = schools.basis.number
    log = reverse("incidents:log", args=[number])
    new = reverse("incidents:record", args=[number])
    edit = f"{new}?id={incident.pk}"
    expected = {  # role: (log, new, edit)
        "coordinator": (200, 200, 200),
        "board": (200, 403, 403),
        "other-coordinator": (404, 404, 404),
        "analyst": (403, 403, 403),
        "admin": (403, 403, 403),
        "provider": (403, 403, 403),
    }
    for role, statuses in expected.items():
        got = tuple(clients[role].get(url).status_code for url in (log, new, edit))
        assert got == statuses, role
    assert clients["board"].post(new, {}).status_code == 403
    page = clients["board"].get(log).content.decode()
    assert "Mail blocked, staff warned." in page and new not in page  # reads, no edit link


def test_the_school_page_links_to_the_log_for_its_people_only(clients, schools):
    school = reverse("registry:school", args=[schools.basis.number])
    log = reverse("incidents:log", args=[schools.basis.number])
    for role in ("coordinator", "board"):
        assert log in clients[role].get(school).content.decode(), role
    for role in ("analyst", "admin"):
        assert log not in clients[role].get(school).content.decode(), role


def test_each_role_on_the_api(clients, schools, record):
    incident = record(schools.basis)
    url = f"/api/v1/schools/{schools.basis.number}/incidents"
    expected = {"coordinator": (200, 201, 200), "board": (200, 403, 403),
                "other-coordinator": (404, 404, 404), "analyst": (403, 403, 403),
                "admin": (403, 403, 403), "provider": (403, 403, 403)}
    for role, statuses in expected.items():
        client = clients[role]
        got = (client.get(url).status_code,
               client.post(url, BODY, content_type="application/json").status_code,
               client.put(f"{url}/{incident.pk}", {**BODY, "kind": "phishing"},
                          content_type="application/json").status_code)
        assert got == statuses, role
    listed = clients["board"].get(url).json()
    # The same day: the one recorded last first; the first one corrected to phishing.
    assert [i["kind"] for i in listed] == ["grooming", "phishing"]
    assert listed[0]["occurred_on"] == "2026-03-02"


def test_the_api_refuses_a_national_number_and_dates_not_iso(clients, schools):
    url = f"/api/v1/schools/{schools.basis.number}/incidents"
    client = clients["coordinator"]
    answer = client.post(url, {**BODY, "lessons": "Her number is 85073003328."},
                         content_type="application/json")
    assert answer.status_code == 400
    assert "national number" in answer.json()["detail"]
    for day in ("02/03/2026", "20260302", 0):
        answer = client.post(url, {**BODY, "occurred_on": day}, content_type="application/json")
        assert answer.status_code == 422, day
    answer = client.post(url, {**BODY, "kind": "gossip"}, content_type="application/json")
    assert answer.status_code == 422
    assert not Incident.objects.exists()
    answer = client.post(url, BODY, content_type="application/json")
    assert answer.status_code == 201
    assert answer.json()["recorded_on"] == timezone.localdate().isoformat()
    assert answer.json()["changed_by"] == client.user.username
