"""Evidence through the API (read, write the next version, review) and the school overview
saying that a label awaits a reviewer (issue 14, item 10)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ictmonitor.accounts.models import ApiToken
from ictmonitor.assessment import services
from ictmonitor.assessment.models import Evidence
from tests.assessment.test_support import answered, current, every, import_schools, submitted

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def schools(tmp_path):
    return import_schools(tmp_path, [("3001", "limburg", "basis"),
                                     ("3002", "antwerpen", "basis")])


@pytest.fixture
def school(schools):
    return schools["3001"]


@pytest.fixture
def coordinator(user_factory, school):
    return user_factory("coordinator", institutions=[school])


@pytest.fixture
def reviewer(user_factory, school):
    return user_factory("board", boards=[school.board])


def api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'test')[1]}")


def critical_codes():
    return [q.code for q in current().questions if q.critical]


def test_the_coordinator_writes_versions_and_reads_them(school, coordinator):
    answered(school, coordinator, {"infra-backups": 2})
    mine = api(coordinator)
    url = f"/api/v1/schools/{school.number}/assessment/evidence"
    first = mine.put(url + "/infra-backups", {"comment": "Weekly", "evidence": "Backup log"},
                     content_type=JSON)
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 1 and first.json()["review"] is None  # no link: incomplete
    second = mine.put(url + "/infra-backups",
                      {"comment": "Weekly", "evidence": "Backup log",
                       "link": "https://example.org/backup"}, content_type=JSON)
    assert second.json()["version"] == 2 and second.json()["review"] == "pending"
    assert second.json()["complete"] is True
    assert mine.put(url + "/infra-backups", {"comment": "Weekly", "evidence": "Backup log",
                                             "link": "https://example.org/backup"},
                    content_type=JSON).status_code == 409  # nothing changed
    listed = mine.get(url).json()
    assert [(e["question"], e["version"]) for e in listed] == [("infra-backups", 2)]
    every_version = mine.get(url + "?versions=true").json()
    assert [e["version"] for e in every_version] == [2, 1]
    refused = mine.put(url + "/infra-backups", {"evidence": "Pupil 85073003328 checked"},
                       content_type=JSON)
    assert refused.status_code == 400 and "rijksregisternummer" in refused.json()["detail"]
    assert mine.put(url + "/no-such-question", {"evidence": "x"},
                    content_type=JSON).status_code == 404
    assert Evidence.objects.count() == 2


def test_the_board_reviews_and_the_coordinator_may_not(school, coordinator, reviewer):
    assessment = answered(school, coordinator, {"infra-backups": 2})
    services.save_evidence(assessment, "infra-backups", text="Backup log",
                           link="https://example.org/backup", by=coordinator)
    url = f"/api/v1/schools/{school.number}/assessment/evidence/infra-backups/review"
    assert api(coordinator).post(url, {"accept": True}, content_type=JSON).status_code == 403
    board = api(reviewer)
    assert board.post(url, {"accept": False}, content_type=JSON).status_code == 400  # no reason
    sent_back = board.post(url, {"accept": False, "reason": "Add the restore test."},
                           content_type=JSON)
    assert sent_back.status_code == 200
    assert sent_back.json()["evidence"]["review"] == "returned"
    assert sent_back.json()["evidence"]["review_reason"] == "Add the restore test."
    assert board.post(url, {"accept": True}, content_type=JSON).status_code == 409  # decided
    assert board.put(f"/api/v1/schools/{school.number}/assessment/evidence/infra-backups",
                     {"evidence": "x"}, content_type=JSON).status_code == 403


def test_another_schools_evidence_is_404(schools, school, coordinator, user_factory):
    other = schools["3002"]
    theirs = user_factory("coordinator", institutions=[other])
    answered(other, theirs, {"infra-backups": 2})
    url = f"/api/v1/schools/{other.number}/assessment/evidence"
    assert api(coordinator).get(url).status_code == 404
    assert api(coordinator).put(url + "/infra-backups", {"evidence": "x"},
                                content_type=JSON).status_code == 404
    provider = user_factory("provider")
    assert api(provider).get(f"/api/v1/schools/{school.number}/assessment/evidence"
                             ).status_code in (403, 404)


def test_an_acceptance_through_the_api_awards_the_label_that_awaited_it(
        school, coordinator, reviewer, client_for):
    fw = current()
    first = submitted(school, coordinator, every(fw, 2), when="2025-01-15")
    first.assessment.actions.update(status="done")
    draft = answered(school, coordinator, every(fw, 3))
    for code in critical_codes():
        services.save_evidence(draft, code, text="Shown", link="https://example.org/e",
                               by=coordinator)
    outcome = services.submit_assessment(draft, by=coordinator)
    assert outcome.label.level == "bronze"
    page = client_for(coordinator).get(reverse("assessment:overview", args=[school.number]),
                                       HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("en"):
        assert "awaits a reviewer" in page.content.decode()
    board = api(reviewer)
    labels = []
    for code in critical_codes():
        answer = board.post(f"/api/v1/schools/{school.number}/assessment/evidence/{code}/review",
                            {"accept": True}, content_type=JSON)
        assert answer.status_code == 200, answer.content
        labels.append(answer.json()["label"])
    assert labels[-1]["level"] == "gold" and not any(labels[:-1])
    page = client_for(coordinator).get(reverse("assessment:overview", args=[school.number]))
    assert "awaits a reviewer" not in page.content.decode()


def test_a_document_is_attached_through_the_api(school, coordinator):
    answered(school, coordinator, {"infra-backups": 2})
    mine = api(coordinator)
    url = f"/api/v1/schools/{school.number}/assessment/evidence/infra-backups"
    mine.put(url, {"evidence": "Backup log"}, content_type=JSON)
    document = SimpleUploadedFile("backup.pdf", b"%PDF-1.4\n%%EOF\n",
                                  content_type="application/pdf")
    answer = mine.post(url + "/document", {"file": document})
    assert answer.status_code == 200, answer.content
    found = answer.json()
    assert found["version"] == 2 and found["evidence"] == "Backup log"
    assert found["document"]["name"] == "backup.pdf" and found["review"] == "pending"
    fake = SimpleUploadedFile("fake.pdf", b"MZ not a pdf", content_type="application/pdf")
    assert mine.post(url + "/document", {"file": fake}).status_code == 400
