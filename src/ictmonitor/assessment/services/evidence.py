"""Comments and evidence on answers, and a reviewer's decision on the evidence.

Each save writes the answer's next version (the versions before it are kept, with who and
when); a document is kept under DATA_DIR (evidence_files) and carried into the next version
until another replaces it. A reviewer (board or department) accepts the current version's
evidence or sends it back with a reason; an acceptance may complete a label that awaited it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.assessment import evidence_files, selectors
from ictmonitor.assessment.models import Assessment, Evidence, Label
from ictmonitor.assessment.services.common import AssessmentError
from ictmonitor.assessment.services.labels import settle_label
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.national_numbers import national_number_kind
from ictmonitor.core.recording import audit, who

TABLE = "assessment.evidence"
COMMENT_MAX = 2000
TEXT_MAX = 1000
LINK_MAX = 500
REASON_MAX = 2000
FIELDS = ("comment", "text", "link", "document_name", "document_path", "document_type",
          "document_size")


def evidence_key(assessment: Assessment, question: str, number: int) -> str:
    """The audit key of an evidence version: `schoolnummer#cycle/question/vN`."""
    return f"{assessment.institution.number}#{assessment.cycle}/{question}/v{number}"


def _clean(value: str, limit: int, what: str) -> str:
    """A free text trimmed and checked: its length, no NUL, no national number."""
    value = (value or "").strip()
    if len(value) > limit or "\x00" in value:
        raise AssessmentError(_("%(what)s: at most %(max)s characters.")
                              % {"what": what, "max": limit})
    _refuse_national_number(value, what)
    return value


def _refuse_national_number(value: str, what: str) -> None:
    """AssessmentError when a text (a free text, a link, a document's name) holds a national
    number."""
    if national_number_kind(value):
        raise AssessmentError(_("%(what)s: this looks like a national number; never write a "
                                "pupil's or staff member's national number here.")
                              % {"what": what})


def _link(value: str) -> str:
    """An http(s) address, or nothing."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise AssessmentError(_("The link must be a web address starting with https:// or "
                                "http://.")) from None
    if len(value) > LINK_MAX:
        raise AssessmentError(_("The link is at most %(max)s characters.") % {"max": LINK_MAX})
    return value


def may_add_to(assessment: Assessment) -> bool:
    """Evidence goes on the assessment in progress or on the school's latest submitted one
    (a label may await it)."""
    if assessment.status == Assessment.Status.DRAFT:
        return True
    latest = selectors.latest_submitted(assessment.institution)
    return latest is not None and latest.pk == assessment.pk


def save_evidence(assessment: Assessment, question: str, *, comment: str = "", text: str = "",
                  link: str = "", upload: Any = None, remove_document: bool = False, by: Any,
                  now: datetime | None = None) -> Evidence:
    """Write the next version of an answer's comment and evidence; returns it."""
    fw = selectors.framework_of(assessment)
    if question not in {q.code for q in fw.questions}:
        raise AssessmentError(_("%(code)s is not a question of this framework version.")
                              % {"code": question}, "not-found")
    if not may_add_to(assessment):
        raise AssessmentError(_("Evidence goes on the assessment in progress or on the "
                                "latest submitted one."), "conflict")
    values: dict[str, Any] = {
        "comment": _clean(comment, COMMENT_MAX, _("Comment")),
        "text": _clean(text, TEXT_MAX, _("Evidence text")), "link": _link(link)}
    _refuse_national_number(values["link"], _("Link"))
    if upload is not None:
        _refuse_national_number(upload.name or "", _("Document"))
    current = selectors.current_evidence(assessment).get(question)
    stored = None
    if upload is not None:
        try:
            evidence_files.check_quota(selectors.school_documents(assessment.institution),
                                       upload.size or 0)
            stored = evidence_files.store(upload, assessment.institution.number)
        except evidence_files.DocumentRefused as problem:
            raise AssessmentError(str(problem)) from None
        values.update(document_name=stored.name, document_path=stored.path,
                      document_type=stored.content_type, document_size=stored.size)
    elif current is not None and not remove_document:
        values.update({f: getattr(current, f) for f in FIELDS if f.startswith("document_")})
    else:
        values.update(document_name="", document_path="", document_type="",
                      document_size=None)
    before = {f: getattr(current, f) for f in FIELDS} if current is not None else {
        f: ("" if f != "document_size" else None) for f in FIELDS}
    if values == before:
        raise AssessmentError(_("Nothing changed."), "conflict")
    now = now or timezone.now()
    user, actor = who(by)
    try:
        with transaction.atomic():
            number = (assessment.evidence.filter(question=question)
                      .aggregate(last=Max("number"))["last"] or 0) + 1
            item = Evidence(assessment=assessment, question=question, number=number,
                            created_at=now, created_by=user, actor=actor, **values)
            item.review = Evidence.Review.PENDING if item.complete else Evidence.Review.NONE
            item.save()
            audit(by, now, AuditEntry.Action.CREATE, TABLE,
                  evidence_key(assessment, question, number),
                  {f: (before[f], values[f]) for f in FIELDS
                   if before[f] != values[f] and f != "document_path"})
    except IntegrityError:
        if stored is not None:
            evidence_files.remove(stored.path)
        raise AssessmentError(_("Someone else changed this evidence at the same moment; "
                                "look again and save."), "conflict") from None
    except BaseException:
        if stored is not None:
            evidence_files.remove(stored.path)
        raise
    return item


@transaction.atomic
def review_evidence(item: Evidence, *, accept: bool, reason: str = "", by: Any,
                    now: datetime | None = None) -> tuple[Evidence, Label | None]:
    """Accept an answer's current evidence, or send it back with a reason; an acceptance
    awards the label that awaited it, if one did. Returns the version and that label."""
    reason = (reason or "").strip()
    if not accept and not reason:
        raise AssessmentError(_("Say why the evidence goes back, so the school knows what to "
                                "add."))
    if len(reason) > REASON_MAX or "\x00" in reason:
        raise AssessmentError(_("The reason is too long (at most %(max)s characters).")
                              % {"max": REASON_MAX})
    _refuse_national_number(reason, _("Reason"))
    now = now or timezone.now()
    user, actor = who(by)
    if user is not None and item.created_by_id == user.pk:
        raise AssessmentError(_("You wrote this version of the evidence; someone else reviews "
                                "it."), "conflict")
    newest = (Evidence.objects.filter(assessment_id=item.assessment_id, question=item.question)
              .aggregate(last=Max("number"))["last"])
    if newest != item.number:
        raise AssessmentError(_("A newer version of this evidence was written; review that "
                                "one."), "conflict")
    decision = Evidence.Review.ACCEPTED if accept else Evidence.Review.RETURNED
    if not Evidence.objects.filter(pk=item.pk, review=Evidence.Review.PENDING).update(
            review=decision, reviewed_at=now, reviewed_by=user, reviewer=actor,
            review_reason=reason):
        raise AssessmentError(_("This evidence was reviewed already, or has nothing to "
                                "review."), "conflict")
    item.refresh_from_db()
    assessment = Assessment.objects.select_related("institution").get(pk=item.assessment_id)
    audit(by, now, AuditEntry.Action.UPDATE, TABLE,
          evidence_key(assessment, item.question, item.number),
          {"review": (Evidence.Review.PENDING.value, decision.value),
           **({"review_reason": ("", reason)} if reason else {})})
    label = None
    if accept and assessment.status == Assessment.Status.SUBMITTED:
        label = settle_label(assessment, by=by, now=now)
    return item, label


def reopen_reviews(assessment: Assessment, questions: Collection[str], *, by: Any,
                   now: datetime) -> int:
    """Evidence a reviewer accepted no longer shows an answer that changed: each such answer's
    evidence gets its next version, the same text, link and document, awaiting review again
    (the accepted version is kept). Returns how many."""
    user, actor = who(by)
    current = selectors.current_evidence(assessment)
    reopened = 0
    for code in sorted(questions):
        item = current.get(code)
        if item is None or item.review != Evidence.Review.ACCEPTED:
            continue
        copy = Evidence(assessment=assessment, question=code, number=item.number + 1,
                        created_at=now, created_by=user, actor=actor,
                        review=Evidence.Review.PENDING,
                        **{f: getattr(item, f) for f in FIELDS})
        copy.save()
        audit(by, now, AuditEntry.Action.CREATE, TABLE,
              evidence_key(assessment, code, copy.number),
              {"review": (Evidence.Review.ACCEPTED.value, Evidence.Review.PENDING.value),
               "reason": (None, "the answer changed")})
        reopened += 1
    return reopened
