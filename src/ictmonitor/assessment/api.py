"""The assessment API: a school's assessment, answers, submit, plan, labels and whole history.

A school you may not see answers 404, like one that does not exist; the school's own people
and the department read (a provider, which sees the schools its lines serve, reads none of
this: 403); only the school's coordinator (or an administrator) writes.
"""

# No `from __future__ import annotations`: ninja reads the types at import time.
from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from ictmonitor.accounts.access import access_institution, role_of
from ictmonitor.api.auth import auth_user
from ictmonitor.api.common import NO_NUL, errors
from ictmonitor.assessment import labels, portability, selectors, services
from ictmonitor.assessment.models import Assessment, Evidence
from ictmonitor.assessment.views.common import READERS, may_edit
from ictmonitor.assessment.views.evidence import may_review

router = Router(tags=["assessment"])

NUMBER = Path(..., min_length=1, max_length=20, pattern=NO_NUL,
              description="The institution number (instellingsnummer).")
QUESTION = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Mark = Literal["dont-know", "not-applicable"]  # the answers besides a level (models.Answer)


class AreaProgressOut(Schema):
    """Answered and total questions of one area."""

    area: str
    answered: int = Field(ge=0)
    total: int = Field(ge=1)


class AssessmentOut(Schema):
    """An assessment: its cycle, framework version, state, answers and (once submitted) scores."""

    cycle: int = Field(ge=1)
    framework: str
    version: str
    status: str = Field(description="`draft` (in progress) or `submitted`.")
    submitted_at: str | None
    overall_score: float | None = Field(None, ge=0, le=100)
    area_scores: dict[str, float] = Field(description="Area code → score 0–100.")
    answers: dict[str, int | Mark] = Field(
        description="Question code → level 0–3, `dont-know` (scored as level 0) or "
                    "`not-applicable` (left out of the scores); unanswered: left out.")
    progress: list[AreaProgressOut]


class AnswersIn(Schema):
    """Answers to save: question code → level 0–3, `dont-know`, `not-applicable` (only where
    the question allows it), or null to clear an answer."""

    answers: dict[str, int | Mark | None] = Field(max_length=200)


class SavedOut(Schema):
    """How many answers changed, and the progress after saving."""

    changed: int = Field(ge=0)
    progress: list[AreaProgressOut]


class SubmitIn(Schema):
    """Submit; confirm that unanswered questions count as level 0."""

    confirm_unanswered: bool = False


class LabelOut(Schema):
    """A label and its state today."""

    level: str
    awarded_on: date
    valid_until: date
    status: str = Field(description="`valid`, `expired`, `revoked` or `not-yet-valid`.")
    carried_over: bool
    framework_version: str
    verification_url: str | None


class SubmittedOut(Schema):
    """A submitted assessment and the label it earned, if any."""

    assessment: AssessmentOut
    label: LabelOut | None


class ActionOut(Schema):
    """An action of the plan."""

    position: int = Field(ge=1)
    question: str
    area: str
    level: int = Field(ge=0, le=2)
    critical_gap: bool
    owner: str
    due_on: date | None
    status: str = Field(description="`todo`, `doing` or `done`.")
    focus: bool = Field(description="One of the 5–10 actions the plan proposes for this cycle "
                                    "(the rest is the backlog).")
    reached: bool | None = Field(description="Whether the next assessment showed the level "
                                             "this action aims at reached; null before it.")


class DocumentOut(Schema):
    """An evidence version's document (its bytes: the evidence page, for those who see the
    school)."""

    name: str
    content_type: str
    size: int | None = Field(None, ge=0)
    url: str = Field(description="Where the document is downloaded (a signed-in page).")


class EvidenceOut(Schema):
    """One version of the comment and evidence on an answer, with its review."""

    question: str
    version: int = Field(ge=1)
    comment: str
    evidence: str = Field(description="The short text saying what shows the answer.")
    link: str | None
    document: DocumentOut | None
    complete: bool = Field(description="A text plus a document or a link, as a label asks.")
    written_at: str
    written_by: str
    review: Literal["pending", "accepted", "returned"] | None = Field(
        description="`pending` (awaiting review), `accepted`, `returned` (sent back); null "
                    "when there is no complete evidence to review.")
    reviewed_at: str | None
    reviewed_by: str | None
    review_reason: str | None


class EvidenceIn(Schema):
    """The next version of an answer's comment and evidence (a document is added on the
    evidence page; an earlier one is kept unless `remove_document`)."""

    comment: str = Field("", max_length=2000)
    evidence: str = Field("", max_length=1000)
    link: str = Field("", max_length=500)
    remove_document: bool = False


class ReviewIn(Schema):
    """A reviewer's decision on an answer's current evidence: accept, or send it back with a
    reason."""

    accept: bool
    reason: str = Field("", max_length=2000)


class ReviewedOut(Schema):
    """The version reviewed, and the label the acceptance awarded, if any."""

    evidence: EvidenceOut
    label: LabelOut | None


def _readable(request: HttpRequest, number: str) -> Any:
    """The school, for a caller whose role reads assessments (as on the pages); else 403/404."""
    user = auth_user(request)
    if role_of(user) not in READERS:
        raise HttpError(403, "Only the school's own people and the department read its "
                             "assessment.")
    return access_institution(user, number)


def _assessment(assessment: Assessment) -> dict[str, Any]:
    fw = selectors.framework_of(assessment)
    levels = selectors.answers_of(assessment)
    return {
        "cycle": assessment.cycle, "framework": assessment.framework,
        "version": assessment.version, "status": assessment.status,
        "submitted_at": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
        "overall_score": assessment.overall_score,
        "area_scores": dict(assessment.area_scores.values_list("area", "score")),
        "answers": levels,
        "progress": [{"area": p.code, "answered": p.answered, "total": p.total}
                     for p in selectors.progress(fw, levels)],
    }


def _label(request: HttpRequest, label: Any) -> dict[str, Any]:
    today = date.today()
    return {
        "level": label.level, "awarded_on": label.awarded_on, "valid_until": label.valid_until,
        "status": labels.status(label.awarded_on, label.valid_until, label.revoked_at, today),
        "carried_over": label.carried_over, "framework_version": label.framework_version,
        "verification_url": request.build_absolute_uri(
            reverse("labels:verify", args=[label.token])) if label.token else None,
    }


@router.get("/schools/{number}/assessment", response={200: AssessmentOut, **errors(403, 404)},
            summary="The school's assessment", operation_id="get_assessment")
def get_assessment(request: HttpRequest, number: str = NUMBER) -> Any:
    """The assessment in progress, else the latest submitted one."""
    school = _readable(request, number)
    found = selectors.draft_of(school) or selectors.latest_submitted(school)
    if found is None:
        return Status(404, {"detail": "This school has no assessment."})
    return _assessment(found)


@router.put("/schools/{number}/assessment/answers",
            response={200: SavedOut, **errors(400, 403, 404, 409)}, summary="Save answers",
            operation_id="save_answers")
def save_answers(request: HttpRequest, body: AnswersIn, number: str = NUMBER) -> Any:
    """Save answers of the assessment in progress (the coordinator's)."""
    user = auth_user(request)
    school = access_institution(user, number)
    if not may_edit(user):
        return Status(403, {"detail": "Only the school's coordinator answers."})
    draft = selectors.draft_of(school)
    if draft is None:
        return Status(409, {"detail": "No assessment is in progress; start one first."})
    try:
        changed = services.save_answers(draft, body.answers, by=user)
    except services.AssessmentError as problem:
        return Status(409 if problem.reason == "conflict" else 400, {"detail": str(problem)})
    fw = selectors.framework_of(draft)
    progress = selectors.progress(fw, selectors.levels_of(draft))
    return {"changed": len(changed), "progress": [
        {"area": p.code, "answered": p.answered, "total": p.total} for p in progress]}


@router.post("/schools/{number}/assessment/start",
             response={200: AssessmentOut, **errors(403, 404)}, summary="Start an assessment",
             operation_id="start_assessment")
def start(request: HttpRequest, number: str = NUMBER) -> Any:
    """The assessment in progress, or a new one starting from the last submitted answers."""
    user = auth_user(request)
    school = access_institution(user, number)
    if not may_edit(user):
        return Status(403, {"detail": "Only the school's coordinator starts an assessment."})
    return _assessment(services.start_assessment(school, by=user))


@router.post("/schools/{number}/assessment/submit",
             response={200: SubmittedOut, **errors(400, 403, 404, 409)},
             summary="Submit the assessment", operation_id="submit_assessment")
def submit(request: HttpRequest, body: SubmitIn, number: str = NUMBER) -> Any:
    """Submit: scores, the action plan and the label its rules give."""
    user = auth_user(request)
    school = access_institution(user, number)
    if not may_edit(user):
        return Status(403, {"detail": "Only the school's coordinator submits."})
    draft = selectors.draft_of(school)
    if draft is None:
        return Status(409, {"detail": "No assessment is in progress."})
    try:
        services.refuse_superseded(draft)
        outcome = services.submit_assessment(draft, by=user,
                                             confirm_unanswered=body.confirm_unanswered)
    except services.AssessmentError as problem:
        return Status(409 if problem.reason == "conflict" else 400, {"detail": str(problem)})
    return {"assessment": _assessment(outcome.assessment),
            "label": _label(request, outcome.label) if outcome.label else None}


@router.get("/schools/{number}/plan", response={200: list[ActionOut], **errors(403, 404)},
            summary="The action plan", operation_id="get_plan")
def get_plan(request: HttpRequest, number: str = NUMBER) -> Any:
    """The actions of the latest submitted assessment's plan, in order (empty without one)."""
    school = _readable(request, number)
    latest = selectors.latest_submitted(school)
    return list(latest.actions.all()) if latest else []


@router.get("/schools/{number}/labels", response={200: list[LabelOut], **errors(403, 404)},
            summary="The school's labels", operation_id="list_labels")
def list_labels(request: HttpRequest, number: str = NUMBER) -> Any:
    """Every label of the school, newest first."""
    school = _readable(request, number)
    return [_label(request, label) for label in selectors.school_labels(school)]


@router.get("/schools/{number}/history", response={200: dict[str, Any], **errors(403, 404)},
            summary="The school's whole history", operation_id="get_history")
def history(request: HttpRequest, number: str = NUMBER) -> Any:
    """Assessments, answers, plans, labels and documents, as the JSON download gives them."""
    school = _readable(request, number)
    return portability.history(school, lambda token: request.build_absolute_uri(
        reverse("labels:verify", args=[token])))


def _moment(value: Any) -> str | None:
    return value.isoformat() if value else None


def _evidence(request: HttpRequest, number: str, item: Evidence) -> dict[str, Any]:
    document = None
    if item.document_path:
        url = reverse("assessment:evidence", args=[number]) + f"?document={item.pk}"
        document = {"name": item.document_name, "content_type": item.document_type,
                    "size": item.document_size, "url": request.build_absolute_uri(url)}
    return {"question": item.question, "version": item.number, "comment": item.comment,
            "evidence": item.text, "link": item.link or None, "document": document,
            "complete": item.complete, "written_at": _moment(item.created_at),
            "written_by": item.actor, "review": item.review or None,
            "reviewed_at": _moment(item.reviewed_at), "reviewed_by": item.reviewer or None,
            "review_reason": item.review_reason or None}


def _with_evidence(school: Any, cycle: int | None) -> Assessment:
    """The assessment of a cycle, else the one in progress, else the latest submitted."""
    if cycle is not None:
        found = Assessment.objects.filter(institution=school, cycle=cycle).first()
    else:
        found = selectors.draft_of(school) or selectors.latest_submitted(school)
    if found is None:
        raise HttpError(404, "This school has no such assessment.")
    found.institution = school
    return found


CYCLE = Query(None, ge=1, description="The assessment's cycle; by default the one in "
                                      "progress, else the latest submitted.")
QUESTION_CODE = Path(..., max_length=80, pattern=QUESTION, description="The question's code.")


@router.get("/schools/{number}/assessment/evidence",
            response={200: list[EvidenceOut], **errors(403, 404)},
            summary="Comments and evidence on the answers", operation_id="list_evidence")
def list_evidence(request: HttpRequest, number: str = NUMBER, cycle: int | None = CYCLE,
                  versions: bool = Query(False, description="Every version, newest first per "
                                                              "question; else the current one.")
                  ) -> Any:
    """The current comment and evidence on each answer (every version with `versions`)."""
    school = _readable(request, number)
    assessment = _with_evidence(school, cycle)
    found = selectors.evidence_versions(assessment)
    return [_evidence(request, number, item) for code in sorted(found)
            for item in (found[code] if versions else found[code][:1])]


@router.put("/schools/{number}/assessment/evidence/{question}",
            response={200: EvidenceOut, **errors(400, 403, 404, 409)},
            summary="Write the next version of an answer's evidence",
            operation_id="save_evidence")
def save_evidence(request: HttpRequest, body: EvidenceIn, number: str = NUMBER,
                  question: str = QUESTION_CODE, cycle: int | None = CYCLE) -> Any:
    """The school's coordinator writes the next version (the versions before it are kept);
    complete evidence then awaits a reviewer."""
    user = auth_user(request)
    school = access_institution(user, number)
    if not may_edit(user):
        return Status(403, {"detail": "Only the school's coordinator writes evidence."})
    assessment = _with_evidence(school, cycle)
    try:
        item = services.save_evidence(assessment, question, comment=body.comment,
                                      text=body.evidence, link=body.link,
                                      remove_document=body.remove_document, by=user)
    except services.AssessmentError as problem:
        return Status(_status(problem), {"detail": str(problem)})
    return _evidence(request, number, item)


@router.post("/schools/{number}/assessment/evidence/{question}/document",
             response={200: EvidenceOut, **errors(400, 403, 404, 409)},
             summary="Attach a document to an answer's evidence",
             operation_id="upload_evidence_document")
def upload_evidence_document(request: HttpRequest, file: File[UploadedFile],
                             number: str = NUMBER, question: str = QUESTION_CODE,
                             cycle: int | None = CYCLE) -> Any:
    """The next version with this document (multipart field `file`: a PDF, an image or an
    office document); the current version's comment, text and link are kept."""
    user = auth_user(request)
    school = access_institution(user, number)
    if not may_edit(user):
        return Status(403, {"detail": "Only the school's coordinator writes evidence."})
    assessment = _with_evidence(school, cycle)
    current = selectors.current_evidence(assessment).get(question)
    try:
        item = services.save_evidence(
            assessment, question, comment=current.comment if current else "",
            text=current.text if current else "", link=current.link if current else "",
            upload=file, by=user)
    except services.AssessmentError as problem:
        return Status(_status(problem), {"detail": str(problem)})
    return _evidence(request, number, item)


@router.post("/schools/{number}/assessment/evidence/{question}/review",
             response={200: ReviewedOut, **errors(400, 403, 404, 409)},
             summary="Accept an answer's evidence or send it back",
             operation_id="review_evidence")
def review_evidence(request: HttpRequest, body: ReviewIn, number: str = NUMBER,
                    question: str = QUESTION_CODE, cycle: int | None = CYCLE) -> Any:
    """A reviewer (the school's board, or the department) decides on the current version;
    an acceptance may award the label that awaited it."""
    user = auth_user(request)
    school = access_institution(user, number)
    if not may_review(user):
        return Status(403, {"detail": "Only the school's board or the department reviews "
                                      "evidence."})
    assessment = _with_evidence(school, cycle)
    current = selectors.current_evidence(assessment).get(question)
    if current is None:
        return Status(404, {"detail": "This answer has no evidence."})
    try:
        item, label = services.review_evidence(current, accept=body.accept, reason=body.reason,
                                               by=user)
    except services.AssessmentError as problem:
        return Status(_status(problem), {"detail": str(problem)})
    return {"evidence": _evidence(request, number, item),
            "label": _label(request, label) if label else None}


def _status(problem: services.AssessmentError) -> int:
    return {"conflict": 409, "not-found": 404}.get(problem.reason, 400)
