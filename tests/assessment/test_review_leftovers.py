"""Review leftovers of issue 14: a draft on 1.x is not scored under 1.1's label rules (it
moves to 2.0 first); accepted evidence goes back to awaiting review when its answer changes;
a school's evidence documents have a quota."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ictmonitor.accounts.models import ApiToken
from ictmonitor.assessment import selectors, services
from ictmonitor.assessment.models import Evidence, Label
from ictmonitor.core.models import AuditEntry
from tests.assessment.test_support import answered, current, import_schools, version

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def school(tmp_path):
    return import_schools(tmp_path, [("9101", "limburg", "basis")])["9101"]


@pytest.fixture
def coordinator(user_factory, school):
    return user_factory("coordinator", institutions=[school])


@pytest.fixture
def reviewer(user_factory, school):
    return user_factory("board", boards=[school.board])


def test_a_1x_draft_moves_to_2_0_before_it_is_submitted(school, coordinator, client_for):
    old = version("1.1")
    # Every critical question at "started", the rest embedded: gold under 1.1's rules.
    levels = {q.code: (1 if q.critical else 3) for q in old.questions}
    draft = answered(school, coordinator, levels, fw=old)
    services.save_evidence(draft, old.questions[0].code, text="Shown",
                           link="https://example.org/e", by=coordinator)
    page = client_for(coordinator)
    refused = page.post(reverse("assessment:submit", args=[school.number]), {"confirm": "on"})
    assert refused.status_code == 200 and "2.0" in refused.content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(coordinator, 'test')[1]}")
    answer = api.post(f"/api/v1/schools/{school.number}/assessment/submit",
                      {"confirm_unanswered": True}, content_type="application/json")
    assert answer.status_code == 409 and "2.0" in answer.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == "draft" and not Label.objects.exists()  # no 1.1 gold
    overview = reverse("assessment:overview", args=[school.number])
    assert "2.0" in page.get(overview).content.decode()
    assert page.post(overview, {"action": "move"}).status_code == 302
    draft.refresh_from_db()
    assert draft.version == current().version and draft.status == "draft"
    answers = selectors.answers_of(draft)
    assert answers and set(answers) <= {q.code for q in current().questions}
    outcome = services.submit_assessment(draft, by=coordinator, confirm_unanswered=True)
    assert outcome.label is None or outcome.label.level not in {"silver", "gold"}
    assert AuditEntry.objects.filter(table="assessment.assessment",
                                     changes__has_key="answers_moved").exists()


def test_accepted_evidence_awaits_review_again_when_its_answer_changes(
        school, coordinator, reviewer):
    draft = answered(school, coordinator, {"infra-backups": 3, "infra-mfa": 2})
    item = services.save_evidence(draft, "infra-backups", text="Backup log",
                                  link="https://example.org/b", by=coordinator)
    services.review_evidence(item, accept=True, by=reviewer)
    services.save_answers(draft, {"infra-mfa": 3}, by=coordinator)  # another answer
    assert selectors.current_evidence(draft)["infra-backups"].review == "accepted"
    services.save_answers(draft, {"infra-backups": 1}, by=coordinator)
    now = selectors.current_evidence(draft)["infra-backups"]
    assert now.number == 2 and now.review == "pending" and now.text == "Backup log"
    assert Evidence.objects.get(assessment=draft, question="infra-backups",
                                number=1).review == "accepted"  # the accepted one is kept
    services.save_answers(draft, {"infra-backups": 2}, by=coordinator)
    assert selectors.current_evidence(draft)["infra-backups"].number == 2  # pending already


def test_a_school_keeps_evidence_documents_within_its_quota(school, coordinator, settings):
    settings.EVIDENCE_MAX_SCHOOL_DOCUMENTS = 2
    draft = answered(school, coordinator, {"infra-backups": 2, "infra-mfa": 2,
                                           "infra-passwords": 2})
    services.save_evidence(draft, "infra-backups", text="a", upload=pdf(), by=coordinator)
    services.save_evidence(draft, "infra-backups", comment="same document", text="a",
                           by=coordinator)  # keeps the first document: still one
    services.save_evidence(draft, "infra-mfa", text="b", upload=pdf(), by=coordinator)
    with pytest.raises(services.AssessmentError, match="2"):
        services.save_evidence(draft, "infra-passwords", text="c", upload=pdf(),
                               by=coordinator)
    settings.EVIDENCE_MAX_SCHOOL_DOCUMENTS = 10
    settings.EVIDENCE_MAX_SCHOOL_MB = len(PDF) * 2.5 / (1024 * 1024)
    with pytest.raises(services.AssessmentError, match="MB"):
        services.save_evidence(draft, "infra-passwords", text="c", upload=pdf(),
                               by=coordinator)
    assert not Evidence.objects.filter(question="infra-passwords").exists()
