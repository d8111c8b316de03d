"""Recording and correcting incidents: the form and the service refuse a national number and
say why, the pages warn never to name a pupil, and every write is audited (who, when, what)."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from ictmonitor.core.models import AuditEntry
from ictmonitor.incidents.forms import IncidentForm
from ictmonitor.incidents.models import Incident
from ictmonitor.incidents.services import IncidentError, record_incident, update_incident
from ictmonitor.reports.releases import publish_release
from tests.incidents.conftest import NATIONAL_NUMBER, given, moment

pytestmark = pytest.mark.django_db

FORM = {"occurred_on": "2026-03-02", "kind": "cyberbullying", "severity": "medium",
        "told": ["parents", "1712"], "actions": "Talks with the pupils of 2A and their parents.",
        "lessons": "Agree on class chat rules."}


def test_the_form_refuses_a_national_number_and_says_why():
    for field in ("actions", "lessons"):
        form = IncidentForm({**FORM, field: f"Pupil {NATIONAL_NUMBER} was involved."})
        assert not form.is_valid()
        message = " ".join(form.errors[field])
        assert "Belgian national number" in message
        assert "never keeps a pupil's name or national number" in message
        assert NATIONAL_NUMBER not in message  # the number is not repeated back
    assert IncidentForm(FORM).is_valid()


def test_a_dutch_bsn_is_refused_too():
    form = IncidentForm({**FORM, "actions": "BSN 111 222 333 given by the parent."})
    assert not form.is_valid()
    assert "Dutch citizen service number" in " ".join(form.errors["actions"])


def test_the_service_refuses_a_national_number_whatever_path_it_comes_by(schools):
    with pytest.raises(IncidentError, match="national number"):
        record_incident(schools.basis, given(actions=f"rrn {NATIONAL_NUMBER}"), by="tests")
    assert not Incident.objects.exists()
    assert not AuditEntry.objects.filter(table="incidents.incident").exists()


def test_the_pages_warn_never_to_name_a_pupil(clients, schools):
    for name in ("incidents:log", "incidents:record"):
        page = clients["coordinator"].get(reverse(name, args=[schools.basis.number]))
        html = unescape(page.content.decode())
        assert page.status_code == 200
        assert "Never write a pupil's name or national number" in html, name
    page = clients["coordinator"].get(reverse("incidents:record", args=[schools.basis.number]))
    assert "A national number is refused." in page.content.decode()


def test_a_coordinator_records_an_incident_audited_with_who_and_when(clients, schools):
    url = reverse("incidents:record", args=[schools.basis.number])
    answer = clients["coordinator"].post(url, FORM)
    assert answer.status_code == 302
    incident = Incident.objects.get()
    assert (incident.institution, incident.kind, incident.told) == (
        schools.basis, "cyberbullying", ["parents", "1712"])
    user = clients["coordinator"].user
    assert incident.changed_by == user.username and incident.created_at is not None
    entry = AuditEntry.objects.get(table="incidents.incident")
    assert (entry.action, entry.user, entry.actor) == ("create", user, user.username)
    assert entry.object_key == f"{schools.basis.number}#{incident.pk}"
    assert entry.changes["kind"] == [None, "cyberbullying"]
    assert entry.changes["occurred_on"] == [None, "2026-03-02"]
    log = clients["board"].get(reverse("incidents:log", args=[schools.basis.number]))
    assert "Talks with the pupils of 2A" in log.content.decode()


def test_a_national_number_posted_to_the_page_is_refused_and_nothing_stored(clients, schools):
    url = reverse("incidents:record", args=[schools.basis.number])
    answer = clients["coordinator"].post(url, {**FORM, "actions": f"nr {NATIONAL_NUMBER}"})
    assert answer.status_code == 200
    assert "looks like a Belgian national number" in answer.content.decode()
    assert not Incident.objects.exists()


def test_a_correction_audits_old_and_new(clients, schools, record):
    incident = record(schools.basis)
    url = reverse("incidents:record", args=[schools.basis.number]) + f"?id={incident.pk}"
    assert clients["coordinator"].get(url).status_code == 200
    answer = clients["coordinator"].post(url, {**FORM, "kind": "phishing", "severity": "high"})
    assert answer.status_code == 302
    entry = AuditEntry.objects.filter(table="incidents.incident", action="update").get()
    assert entry.changes["severity"] == ["low", "high"]
    assert entry.changes["told"] == [["board"], ["parents", "1712"]]
    assert "kind" not in entry.changes  # unchanged fields are not listed
    assert entry.actor == clients["coordinator"].user.username


def test_another_schools_incident_cannot_be_opened_or_corrected(clients, schools, record):
    theirs = record(schools.elsewhere)
    url = reverse("incidents:record", args=[schools.basis.number]) + f"?id={theirs.pk}"
    assert clients["coordinator"].get(url).status_code == 404
    with pytest.raises(IncidentError) as refused:
        update_incident(schools.basis, theirs.pk, given(), by="tests")
    assert refused.value.reason == "not-found"


def test_no_date_in_the_future(schools):
    with pytest.raises(IncidentError, match="future"):
        record_incident(schools.basis, given(occurred_on=date(2026, 3, 9)), by="tests",
                        now=moment(date(2026, 3, 8)))


def test_a_correction_cannot_date_the_incident_after_it_was_recorded(clients, schools, record):
    incident = record(schools.basis, recorded_on=date(2026, 3, 5))
    with pytest.raises(IncidentError, match="2026-03-05") as refused:
        update_incident(schools.basis, incident.pk, given(occurred_on=date(2026, 3, 8)),
                        by="tests", now=moment(date(2026, 3, 10)))
    assert refused.value.reason == "refused"
    url = reverse("incidents:record", args=[schools.basis.number]) + f"?id={incident.pk}"
    answer = clients["coordinator"].post(url, {**FORM, "occurred_on": "2026-03-08"})
    assert answer.status_code == 200 and "2026-03-05" in unescape(answer.content.decode())
    incident.refresh_from_db()
    assert incident.occurred_on == date(2026, 3, 2)


def test_a_released_incident_keeps_its_kind_and_month(schools, record, settings):
    incident = record(schools.basis, recorded_on=date(2026, 3, 5))
    publish_release(date(2026, 3, 6), by="tests")
    with pytest.raises(IncidentError, match="release of 2026-03-06") as refused:
        update_incident(schools.basis, incident.pk, given(kind="ransomware"), by="tests",
                        now=moment(date(2026, 3, 10)))
    assert refused.value.reason == "conflict"
    with pytest.raises(IncidentError):
        update_incident(schools.basis, incident.pk, given(occurred_on=date(2026, 2, 27)),
                        by="tests", now=moment(date(2026, 3, 10)))
    # The same month, and the other fields, can still be corrected.
    saved = update_incident(schools.basis, incident.pk,
                            given(occurred_on=date(2026, 3, 1), lessons="Train staff."),
                            by="tests", now=moment(date(2026, 3, 10)))
    assert (saved.occurred_on, saved.lessons) == (date(2026, 3, 1), "Train staff.")


def test_the_pages_speak_dutch_by_default(client_for, schools):
    client = client_for("coordinator", institutions=[schools.basis])  # no language chosen
    html = unescape(client.get(reverse("incidents:record", args=[schools.basis.number]))
                    .content.decode())
    assert "Een incident noteren" in html
    assert "Schrijf nooit de naam of het rijksregisternummer van een leerling" in html
    answer = client.post(reverse("incidents:record", args=[schools.basis.number]),
                         {**FORM, "actions": f"nr {NATIONAL_NUMBER}"})
    assert "Belgisch rijksregisternummer" in unescape(answer.content.decode())
