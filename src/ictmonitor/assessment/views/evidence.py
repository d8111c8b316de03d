"""Comments and evidence on a school's answers, their versions, a reviewer's decision, and
the evidence documents (served only to those who may see the school).

One address: ?id=N picks a submitted assessment (else the one in progress, else the latest
submitted), ?question=code opens one answer's form and versions, ?document=N sends the
document of an evidence version of this school.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import Role, access, access_institution, role_of
from ictmonitor.assessment import evidence_files, presentation, scoring, selectors, services
from ictmonitor.assessment.forms import EvidenceForm, ReviewForm
from ictmonitor.assessment.models import Assessment, Evidence
from ictmonitor.assessment.views.common import (
    READERS,
    may_edit,
    require_edit,
    school_context,
)
from ictmonitor.core.ids import query_id

# Who checks evidence: the school's board, and the department.
REVIEWERS = (Role.BOARD, Role.ANALYST, Role.ADMIN)


def may_review(user: Any) -> bool:
    """Whether the user accepts or sends back evidence of the schools they may see."""
    return role_of(user) in REVIEWERS


def _assessment(request: HttpRequest, institution: Any) -> Assessment | None:
    """The assessment asked for (?id=N, any of the school's), else the one in progress,
    else the latest submitted; 404 for another school's."""
    wanted = query_id(request)
    if wanted is not None:
        found = Assessment.objects.filter(institution=institution, pk=wanted).first()
        if found is None:
            raise Http404("No such assessment")
        found.institution = institution
        return found
    return selectors.draft_of(institution) or selectors.latest_submitted(institution)


def _document(institution: Any, wanted: int) -> HttpResponse:
    """The document of an evidence version of this school, as a download."""
    item = Evidence.objects.filter(pk=wanted, assessment__institution=institution).first()
    path = evidence_files.path_of(item.document_path) if item and item.document_path else None
    if item is None or path is None:
        raise Http404("No such document")
    # At most EVIDENCE_MAX_UPLOAD_MB: read whole, as the site's other downloads are.
    response = HttpResponse(path.read_bytes(), content_type=item.document_type)
    disposition = content_disposition_header(True, item.document_name or path.name)
    if disposition is not None:
        response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _here(number: str, assessment: Assessment, question: str = "") -> str:
    """This page for an assessment (and one of its questions)."""
    url = reverse("assessment:evidence", args=[number]) + f"?id={assessment.pk}"
    return url + (f"&{urlencode({'question': question})}#evidence-form" if question else "")


def _post(request: HttpRequest, number: str, assessment: Assessment) -> HttpResponse:
    """Save a new version (the coordinator) or review one (a board or the department)."""
    if request.POST.get("action") == "review":
        if not may_review(request.user):
            raise PermissionDenied
        review = ReviewForm(request.POST)
        if not review.is_valid():
            messages.error(request, _("Choose to accept or to send back."))
            return redirect(_here(number, assessment))
        item = Evidence.objects.filter(pk=review.cleaned_data["evidence"],
                                       assessment=assessment).first()
        if item is None:
            raise Http404("No such evidence")
        try:
            _item, label = services.review_evidence(
                item, accept=review.cleaned_data["decision"] == "accept",
                reason=review.cleaned_data["reason"], by=request.user)
        except services.AssessmentError as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, _("The evidence is accepted.") if _item.review == "accepted"
                             else _("The evidence is sent back to the school."))
            if label is not None:
                messages.success(request, _("The school now holds the %(level)s label.")
                                 % {"level": label.get_level_display()})
        return redirect(_here(number, assessment, item.question))
    require_edit(request.user)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The evidence was not saved: %(problems)s")
                       % {"problems": " ".join(str(e) for errors in form.errors.values()
                                               for e in errors)})
        return redirect(_here(number, assessment, request.POST.get("question", "")[:80]))
    data = form.cleaned_data
    try:
        services.save_evidence(assessment, data["question"], comment=data["comment"],
                               text=data["text"], link=data["link"], upload=data["document"],
                               remove_document=data["remove_document"], by=request.user)
    except services.AssessmentError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("Saved as a new version."))
    return redirect(_here(number, assessment, data["question"]))


@access(*READERS)
def evidence(request: HttpRequest, number: str) -> HttpResponse:
    """Every answer's comment and evidence with its review; one answer's form and versions."""
    institution = access_institution(request.user, number)
    if request.method == "POST" and not (may_edit(request.user) or may_review(request.user)):
        raise PermissionDenied
    wanted = query_id(request, "document")
    if wanted is not None:
        return _document(institution, wanted)
    assessment = _assessment(request, institution)
    if request.method == "POST":
        if assessment is None:
            raise Http404("No assessment")
        return _post(request, number, assessment)
    context = school_context(request, institution, assessment=assessment,
                             may_review=may_review(request.user))
    if assessment is None:
        return render(request, "assessment/evidence.html", context)
    lang = presentation.language()
    fw = selectors.framework_of(assessment)
    answers = selectors.answers_of(assessment)
    names: dict[int | str, str] = {**presentation.mark_labels()}
    names.update(presentation.level_labels(fw, lang).items())
    versions = selectors.evidence_versions(assessment)
    focus = request.GET.get("question", "")
    if focus and focus not in {q.code for q in fw.questions}:
        raise Http404("No such question")
    rows = [{"code": q.code, "text": q.text.get(lang), "critical": q.critical,
             "answer": names.get(answers[q.code]) if q.code in answers else None,
             "current": versions.get(q.code, [None])[0],
             "versions": versions.get(q.code, [])}
            for q in sorted(fw.questions, key=lambda q: not q.critical)]
    checks = selectors.label_checks(assessment) if assessment.status == "submitted" else []
    awaiting = scoring.awaiting_review(checks)
    focused = next((row for row in rows if row["code"] == focus), None)
    current: Evidence | None = versions[focus][0] if focus in versions else None
    initial = {"question": focus}
    if current is not None:
        initial.update(comment=current.comment, text=current.text, link=current.link)
    context.update(
        rows=rows, focused=focused, awaiting=awaiting.title.get(lang) if awaiting else None,
        may_add=may_edit(request.user) and services.may_add_evidence(assessment),
        form=EvidenceForm(initial=initial),
        max_mb=f"{evidence_files.max_mb():g}", kinds=evidence_files.kinds())
    return render(request, "assessment/evidence.html", context)
