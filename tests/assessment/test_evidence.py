"""Comments and evidence on answers (versions with who and when, documents under DATA_DIR,
checked in size and type), a reviewer's decision, and a label that awaits it (issue 14,
items 3 and 5), through the services and the evidence page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from ictmonitor.assessment import evidence_files, scoring, selectors, services
from ictmonitor.assessment.models import Evidence, Label
from ictmonitor.core.models import AuditEntry
from tests.assessment.test_support import (
    answered,
    current,
    every,
    import_schools,
    moment,
    submitted,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "restore-test.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def schools(tmp_path):
    return import_schools(tmp_path, [("2001", "limburg", "basis"),
                                     ("2002", "antwerpen", "basis")])


@pytest.fixture
def school(schools):
    return schools["2001"]


@pytest.fixture
def coordinator(user_factory, school):
    return user_factory("coordinator", institutions=[school])


@pytest.fixture
def reviewer(user_factory, school):
    return user_factory("board", boards=[school.board])


def critical_codes():
    return [q.code for q in current().questions if q.critical]


def test_every_change_is_a_new_version_with_who_and_when(school, coordinator):
    assessment = answered(school, coordinator, {"practice-cyberbullying": 2})
    first = services.save_evidence(assessment, "practice-cyberbullying",
                                   comment="Only in the first grade so far.", by=coordinator)
    assert first.number == 1 and first.review == "" and not first.complete
    second = services.save_evidence(assessment, "practice-cyberbullying",
                                    comment="Only in the first grade so far.",
                                    text="Lesson plan of the anti-bullying week",
                                    upload=pdf("plan.pdf"), by=coordinator)
    third = services.save_evidence(assessment, "practice-cyberbullying",
                                   comment="Now in every grade.",
                                   text="Lesson plan of the anti-bullying week", by=coordinator)
    assert [v.number for v in selectors.evidence_versions(assessment)[
        "practice-cyberbullying"]] == [3, 2, 1]
    assert second.review == "pending" and second.complete
    assert third.document_name == "plan.pdf"  # kept until another replaces it
    assert third.document_path == second.document_path
    first.refresh_from_db()
    assert first.comment == "Only in the first grade so far."  # never changed
    entries = AuditEntry.objects.filter(table="assessment.evidence").order_by("id")
    key = f"2001#{assessment.cycle}/practice-cyberbullying"
    assert [e.object_key for e in entries] == [f"{key}/v{n}" for n in (1, 2, 3)]
    assert entries[2].changes == {"comment": ["Only in the first grade so far.",
                                              "Now in every grade."]}
    assert all(e.user == coordinator for e in entries)
    with pytest.raises(services.AssessmentError, match="Nothing changed"):
        services.save_evidence(assessment, "practice-cyberbullying",
                               comment="Now in every grade.",
                               text="Lesson plan of the anti-bullying week", by=coordinator)


def test_documents_are_checked_and_kept_under_the_data_dir(school, coordinator, settings):
    assessment = answered(school, coordinator, {"infra-backups": 2})
    saved = services.save_evidence(assessment, "infra-backups", text="Backup report",
                                   upload=pdf(), by=coordinator)
    kept = evidence_files.path_of(saved.document_path)
    assert kept is not None and kept.read_bytes() == PDF
    assert kept.is_relative_to(Path(settings.DATA_DIR) / "evidence" / "2001")
    assert saved.document_type == "application/pdf" and saved.document_size == len(PDF)
    folder = Path(settings.DATA_DIR) / "evidence" / "2001"
    before = set(folder.iterdir())
    refused = [
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "not a document evidence can be"),
        (SimpleUploadedFile("photo.pdf", PNG), "not a PDF file"),
        (SimpleUploadedFile("empty.png", b""), "empty"),
    ]
    for upload, message in refused:
        with pytest.raises(services.AssessmentError, match=message):
            services.save_evidence(assessment, "infra-backups", text="x", upload=upload,
                                   by=coordinator)
    settings.EVIDENCE_MAX_UPLOAD_MB = 0.0001  # about 100 bytes
    with pytest.raises(services.AssessmentError, match="larger than"):
        services.save_evidence(assessment, "infra-backups", text="x",
                               upload=pdf(content=PDF * 10), by=coordinator)
    assert set(folder.iterdir()) == before  # nothing refused is kept
    assert Evidence.objects.count() == 1
    photo = services.save_evidence(assessment, "infra-backups", text="Photo of the NAS",
                                   upload=SimpleUploadedFile("nas.png", PNG), by=coordinator)
    assert photo.document_type == "image/png"


def test_free_text_refuses_a_national_number_and_links_must_be_web_addresses(
        school, coordinator, user_factory):
    assessment = answered(school, coordinator, {})
    with pytest.raises(services.AssessmentError, match="national number"):
        services.save_evidence(assessment, "policy-incident-handling",
                               comment="Incident with pupil 85.07.30-033.28", by=coordinator)
    with pytest.raises(services.AssessmentError, match="web address"):
        services.save_evidence(assessment, "policy-incident-handling", text="x",
                               link="javascript:alert(1)", by=coordinator)
    with pytest.raises(services.AssessmentError, match="Link: this looks like a national"):
        services.save_evidence(assessment, "policy-incident-handling", text="x",
                               link="https://drive.example/?rrn=85073003328", by=coordinator)
    with pytest.raises(services.AssessmentError, match="Document: this looks like a national"):
        services.save_evidence(assessment, "policy-incident-handling", text="x",
                               upload=pdf("pupil 85.07.30-033.28.pdf"), by=coordinator)
    assert not Evidence.objects.exists()
    item = services.save_evidence(assessment, "policy-incident-handling", text="Procedure",
                                  link="https://example.org/procedure", by=coordinator)
    with pytest.raises(services.AssessmentError, match="Reason: this looks like a national"):
        services.review_evidence(item, accept=False, by=user_factory("analyst"),
                                 reason="The sheet names 85.07.30-033.28; take it out.")
    item.refresh_from_db()
    assert item.review == "pending" and item.review_reason == ""
    with pytest.raises(services.AssessmentError, match="not a question"):
        services.save_evidence(assessment, "no-such-question", comment="x", by=coordinator)


def test_a_reviewer_accepts_or_sends_back_with_a_reason(school, coordinator, reviewer):
    assessment = answered(school, coordinator, {"infra-mfa": 2})
    item = services.save_evidence(assessment, "infra-mfa", text="MFA policy",
                                  link="https://example.org/mfa", by=coordinator)
    with pytest.raises(services.AssessmentError, match="why"):
        services.review_evidence(item, accept=False, by=reviewer)
    returned, _label = services.review_evidence(item, accept=False,
                                                reason="Covers administrators only",
                                                by=reviewer)
    assert returned.review == "returned" and returned.reviewer == reviewer.username
    with pytest.raises(services.AssessmentError, match="reviewed already"):
        services.review_evidence(returned, accept=True, by=reviewer)
    newer = services.save_evidence(assessment, "infra-mfa", text="MFA for every account",
                                   link="https://example.org/mfa", by=coordinator)
    with pytest.raises(services.AssessmentError, match="newer version"):
        services.review_evidence(returned, accept=True, by=reviewer)
    accepted, _label = services.review_evidence(newer, accept=True, by=reviewer)
    assert accepted.review == "accepted"
    entry = AuditEntry.objects.filter(table="assessment.evidence").latest("id")
    assert entry.changes == {"review": ["pending", "accepted"]} and entry.user == reviewer


def _gold_ready(school, coordinator):
    """A previous 2.0 plan worked through, then every answer embedded, in progress today."""
    fw = current()
    first = submitted(school, coordinator, every(fw, 2), when="2025-01-15")
    first.assessment.actions.update(status="done")
    return answered(school, coordinator, every(fw, 3))


def test_gold_awaits_the_reviewers_acceptance_of_every_critical_question(school, coordinator,
                                                                         reviewer):
    draft = _gold_ready(school, coordinator)
    *before, last = critical_codes()
    items = [services.save_evidence(draft, code, text=f"Evidence for {code}", upload=pdf(),
                                    by=coordinator) for code in before]
    outcome = services.submit_assessment(draft, by=coordinator)
    assert outcome.label.level == "bronze" and outcome.awaiting is None  # evidence missing
    # Evidence may follow on the latest submitted assessment; gold then awaits the reviewer.
    items.append(services.save_evidence(outcome.assessment, last, text="Restore test report",
                                        link="https://example.org/restore", by=coordinator))
    assert scoring.awaiting_review(selectors.label_checks(outcome.assessment)).code == "gold"
    for item in items[:-1]:
        _item, label = services.review_evidence(item, accept=True, by=reviewer)
        assert label is None
    _item, label = services.review_evidence(items[-1], accept=True, by=reviewer)
    assert label.level == "gold" and label.assessment == outcome.assessment
    assert selectors.current_label(school).level == "gold"
    assert Label.objects.filter(institution=school, assessment=outcome.assessment).count() == 1
    entry = AuditEntry.objects.filter(table="assessment.label").latest("id")
    assert entry.changes == {"level": ["bronze", "gold"]} and entry.user == reviewer


def test_a_review_does_not_give_back_a_label_the_department_revoked(school, coordinator,
                                                                    reviewer, user_factory):
    draft = _gold_ready(school, coordinator)
    *before, last = critical_codes()
    items = [services.save_evidence(draft, code, text="x", link="https://example.org/e",
                                    by=coordinator) for code in before]
    outcome = services.submit_assessment(draft, by=coordinator)
    services.revoke_label(outcome.label, "The evidence was copied from another school.",
                          by=user_factory("analyst"))
    items.append(services.save_evidence(outcome.assessment, last, text="x",
                                        link="https://example.org/e", by=coordinator))
    tomorrow = timezone.now() + timedelta(days=1)
    for item in items:
        _item, label = services.review_evidence(item, accept=True, by=reviewer, now=tomorrow)
        assert label is None
    assert selectors.current_label(school, tomorrow.date()) is None
    assert Label.objects.filter(assessment=outcome.assessment).count() == 1


def test_an_acceptance_a_year_after_submission_gives_no_fresh_label(school, coordinator,
                                                                    reviewer):
    draft = _gold_ready(school, coordinator)
    *before, last = critical_codes()
    items = [services.save_evidence(draft, code, text="x", link="https://example.org/e",
                                    by=coordinator) for code in before]
    outcome = services.submit_assessment(draft, by=coordinator)
    items.append(services.save_evidence(outcome.assessment, last, text="x",
                                        link="https://example.org/e", by=coordinator))
    a_year_on = timezone.now() + timedelta(days=366)  # 2.0 renews after 12 months
    for item in items:
        _item, label = services.review_evidence(item, accept=True, by=reviewer, now=a_year_on)
        assert label is None
    assert Label.objects.filter(assessment=outcome.assessment).get().level == "bronze"


def test_a_critical_question_started_keeps_silver_and_gold_away_despite_evidence(
        school, coordinator, reviewer):
    draft = _gold_ready(school, coordinator)
    services.save_answers(draft, {"infra-restore-tests": 1}, by=coordinator)
    items = [services.save_evidence(draft, code, text="x", link="https://example.org/e",
                                    by=coordinator) for code in critical_codes()]
    outcome = services.submit_assessment(draft, by=coordinator)
    assert outcome.label.level == "bronze" and outcome.awaiting is None
    for item in items:
        services.review_evidence(item, accept=True, by=reviewer)
    assert selectors.current_label(school).level == "bronze"


def test_the_page_serves_documents_only_to_those_who_see_the_school(
        schools, school, coordinator, reviewer, client_for, user_factory):
    assessment = answered(school, coordinator, {"infra-backups": 2})
    item = services.save_evidence(assessment, "infra-backups", text="Backup report",
                                  upload=pdf(), by=coordinator)
    url = reverse("assessment:evidence", args=[school.number])
    for user in (coordinator, reviewer, user_factory("analyst")):
        answer = client_for(user).get(url + f"?document={item.pk}")
        assert answer.status_code == 200, user.role
        assert answer.content == PDF
        assert answer["Content-Type"] == "application/pdf"
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in answer["Content-Disposition"]
    other = client_for(user_factory("coordinator", institutions=[schools["2002"]]))
    assert other.get(url + f"?document={item.pk}").status_code == 404
    own = reverse("assessment:evidence", args=["2002"])
    assert other.get(own + f"?document={item.pk}").status_code == 404  # not that school's
    assert client_for("provider").get(url + f"?document={item.pk}").status_code == 403


def test_the_page_saves_for_the_coordinator_and_reviews_for_the_board(
        school, coordinator, reviewer, client_for):
    assessment = answered(school, coordinator, {"infra-backups": 2})
    url = reverse("assessment:evidence", args=[school.number]) + f"?id={assessment.pk}"
    mine, board = client_for(coordinator), client_for(reviewer)
    def posted():
        return {"question": "infra-backups", "comment": "Weekly", "text": "Backup log",
                "link": "", "document": pdf()}

    assert board.post(url, posted()).status_code == 403
    assert mine.post(url, posted()).status_code == 302
    item = Evidence.objects.get()
    assert item.document_name == "restore-test.pdf" and item.created_by == coordinator
    page = mine.get(url + "&question=infra-backups")
    assert page.status_code == 200 and "Backup log" in page.content.decode()
    review = {"action": "review", "evidence": item.pk, "decision": "accept", "reason": ""}
    assert mine.post(url, review).status_code == 403
    assert board.post(url, review).status_code == 302
    item.refresh_from_db()
    assert item.review == "accepted" and item.reviewed_by == reviewer


def test_no_one_accepts_evidence_they_wrote_themselves(school, coordinator, user_factory,
                                                      client_for):
    admin = user_factory("admin")  # the one role that both writes and reviews evidence
    assessment = answered(school, coordinator, {"infra-backups": 2})
    item = services.save_evidence(assessment, "infra-backups", text="Backup log",
                                  link="https://backup.example/report", by=admin)
    with pytest.raises(services.AssessmentError, match="someone else reviews"):
        services.review_evidence(item, accept=True, by=admin)
    item.refresh_from_db()
    assert item.review == "pending"
    services.review_evidence(item, accept=True, by=user_factory("analyst"))


def test_the_page_sends_an_odd_question_back_encoded(school, coordinator, client_for):
    assessment = answered(school, coordinator, {})
    url = reverse("assessment:evidence", args=[school.number]) + f"?id={assessment.pk}"
    answer = client_for(coordinator).post(url, {"question": "a&id=9#x", "comment": "x" * 3000})
    assert answer.status_code == 302
    assert answer["Location"].endswith("&question=a%26id%3D9%23x#evidence-form")


def test_the_history_export_carries_every_version_with_its_document_and_review(
        school, coordinator, reviewer, client_for):
    import base64
    import json

    from tests.assessment.test_label_import import pdf_text

    assessment = answered(school, coordinator, {"infra-backups": 2})
    first = services.save_evidence(assessment, "infra-backups", comment="Nightly backups",
                                   text="Backup report", upload=pdf(), by=coordinator)
    services.review_evidence(first, accept=False, reason="Show a restore as well",
                             by=reviewer)
    services.save_evidence(assessment, "infra-backups", comment="Nightly backups",
                           text="Backup report and restore log",
                           link="https://example.org/restore", by=coordinator)
    services.save_evidence(assessment, "practice-cyberbullying", comment="Every grade",
                           by=coordinator)
    mine = client_for(coordinator)
    data = json.loads(mine.get(reverse("assessment:export_json", args=[school.number])).content)
    assert data["format"] == "ictmonitor-assessment-history/2"
    found = data["assessments"][0]["evidence"]
    assert [(e["question"], e["version"]) for e in found] == [
        ("infra-backups", 1), ("infra-backups", 2), ("practice-cyberbullying", 1)]
    assert found[0]["review"] == "returned" and found[0]["review_reason"] == \
        "Show a restore as well" and found[0]["reviewed_by"] == reviewer.username
    assert found[0]["written_by"] == coordinator.username and found[0]["written_at"]
    assert base64.b64decode(found[0]["document"]["content_base64"]) == PDF
    assert found[1]["document"]["name"] == "restore-test.pdf"  # kept into version 2
    # ... and given once: version 2 names the same file by its SHA-256
    assert found[1]["document"]["content_base64"] is None
    assert found[1]["document"]["sha256"] == found[0]["document"]["sha256"]
    assert found[1]["link"] == "https://example.org/restore" and found[1]["review"] == \
        "pending"
    assert found[2]["comment"] == "Every grade" and found[2]["review"] is None
    answer = mine.get(reverse("assessment:export_pdf", args=[school.number]) + "?lang=en")
    text = " ".join(pdf_text(answer.content).split())
    assert "Backup report and restore log" in text and "Show a restore as well" in text
    assert "Every grade" in text


def test_the_next_cycle_starts_from_the_comments_and_evidence_and_reviews_them_again(
        school, coordinator, reviewer):
    draft = answered(school, coordinator, {"infra-mfa": 2, "infra-wifi": 1}, when="2025-03-01")
    item = services.save_evidence(draft, "infra-mfa", text="MFA policy", upload=pdf(),
                                  by=coordinator)
    services.review_evidence(item, accept=True, by=reviewer)
    services.save_evidence(draft, "infra-wifi", comment="Guest network apart", by=coordinator)
    services.submit_assessment(draft, by=coordinator, confirm_unanswered=True,
                               now=moment("2025-03-02"))
    later = services.start_assessment(school, by=coordinator, now=moment("2026-03-01"))
    carried = selectors.current_evidence(later)
    assert set(carried) == {"infra-mfa", "infra-wifi"}
    assert carried["infra-mfa"].document_path == item.document_path
    assert carried["infra-mfa"].review == "pending"  # this cycle's label checks it again
    assert carried["infra-wifi"].comment == "Guest network apart"
    entry = AuditEntry.objects.filter(table="assessment.assessment").latest("id")
    assert entry.changes["evidence_copied"] == [None, 2]
    assert selectors.current_evidence(draft)["infra-mfa"].review == "accepted"  # kept
