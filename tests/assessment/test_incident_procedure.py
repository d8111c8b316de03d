"""The incident log feeds the incident procedure (issue 14, item 7): a new version of the
procedure reviews the school's incidents of the year before it, counts per kind and the
lessons drawn; another school's incidents and older ones stay out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ictmonitor.assessment import services
from ictmonitor.incidents.services import IncidentInput, record_incident
from tests.assessment.test_support import import_schools

pytestmark = pytest.mark.django_db


def incident(school, user, days_ago, kind, lessons=""):
    return record_incident(school, IncidentInput(
        occurred_on=timezone.localdate() - timedelta(days=days_ago), kind=kind,
        severity="low", told=["board"], actions="Handled by the coordinator.", lessons=lessons),
        by=user)


def test_the_procedure_reviews_the_years_incidents_and_their_lessons(tmp_path, user_factory):
    schools = import_schools(tmp_path, [("8101", "limburg", "basis"),
                                        ("8102", "limburg", "basis")])
    ours, theirs = schools["8101"], schools["8102"]
    user = user_factory("coordinator", institutions=[ours, theirs])
    incident(ours, user, 10, "phishing", "Staff now report a click at once.")
    incident(ours, user, 40, "phishing")
    incident(ours, user, 100, "cyberbullying", "Class talks in the first week of term.")
    incident(ours, user, 400, "ransomware", "An old lesson.")  # more than a year before
    incident(theirs, user, 5, "sextortion", "Another school's lesson.")
    document = services.generate_document(ours, "incident-handling", by=user)
    english = document.body_en
    assert "recorded 3 incidents in its incident log: Phishing (2), Cyberbullying (1)." \
        in english.replace("phishing", "Phishing").replace("cyberbullying", "Cyberbullying")
    assert "Staff now report a click at once." in english
    assert "Class talks in the first week of term." in english
    assert english.index("Class talks") < english.index("Staff now report")  # oldest first
    assert "An old lesson." not in english and "Another school" not in english
    assert "legde de school 3 incidenten vast" in document.body_nl
    quiet = services.generate_document(theirs, "incident-handling", by=user,
                                       now=timezone.now() + timedelta(days=400))
    assert "holds no incident of the year before this version" in quiet.body_en
