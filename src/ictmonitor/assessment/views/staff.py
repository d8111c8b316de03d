"""More voices: the coordinator's page to invite staff and see their answers beside the
school's own (from five replies on), and the staff's own page, reached by a link without an
account, to answer the practice questions anonymously."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import PUBLIC, access, access_institution
from ictmonitor.assessment import presentation, selectors
from ictmonitor.assessment.models import Answer
from ictmonitor.assessment.services import AssessmentError
from ictmonitor.assessment.services.staff import close_survey, open_survey, record_reply
from ictmonitor.assessment.views.common import READERS, require_edit, school_context

TOKEN_MAX = 64
REPLIED_COOKIE = "staff-replied-{}"
REPLIED_DAYS = 120


@access(*READERS)
def staff(request: HttpRequest, number: str) -> HttpResponse:
    """The link to send to staff, how many replied, and (from five) their answers per
    practice question beside the school's own."""
    institution = access_institution(request.user, number)
    assessment = selectors.draft_of(institution) or selectors.latest_submitted(institution)
    if request.method == "POST":
        require_edit(request.user)
        if assessment is None:
            raise Http404("No assessment")
        try:
            if request.POST.get("action") == "close":
                survey = selectors.staff_survey_of(assessment)
                if survey is not None:
                    close_survey(survey, by=request.user)
                    messages.success(request, _("The link is closed; the replies stay."))
            else:
                open_survey(assessment, by=request.user)
                messages.success(request, _("The link is open: send it to your staff."))
        except AssessmentError as problem:
            messages.error(request, str(problem))
        return redirect("assessment:staff", number=number)
    context = school_context(request, institution, assessment=assessment,
                             minimum=selectors.MIN_STAFF_REPLIES)
    if assessment is not None:
        lang = presentation.language()
        fw = selectors.framework_of(assessment)
        survey = selectors.staff_survey_of(assessment)
        replies, voices = selectors.staff_voices(assessment)
        names: dict[int | str, str] = {**presentation.mark_labels()}
        names.update(presentation.level_labels(fw, lang).items())
        context.update(
            survey=survey, replies=replies,
            link=request.build_absolute_uri(reverse("assessment:staff_reply",
                                                    args=[survey.token])) if survey else "",
            rows=[{"text": v.question.text.get(lang),
                   "school": names.get(v.school) if v.school is not None else None,
                   "answered": v.answered,
                   "shares": [round(100 * v.shares[key]) for key in
                              ("0", "1", "2", "3", Answer.Mark.DONT_KNOW.value)],
                   "mean": v.mean} for v in voices],
            level_names=[names[level] for level in range(4)]
            + [names[Answer.Mark.DONT_KNOW.value]])
    return render(request, "assessment/staff.html", context)


def _posted(request: HttpRequest, questions: Any) -> dict[str, int | str]:
    """The answers a staff member chose: code → level or mark (unanswered left out)."""
    chosen: dict[str, int | str] = {}
    for question in questions:
        value = request.POST.get(question.code, "")
        if value in {"0", "1", "2", "3"}:
            chosen[question.code] = int(value)
        elif value:
            chosen[question.code] = value
    return chosen


@access(PUBLIC)
def reply(request: HttpRequest, token: str) -> HttpResponse:
    """A staff member answers the practice questions, anonymously, once per browser."""
    if len(token) > TOKEN_MAX or not token.replace("-", "").replace("_", "").isalnum():
        raise Http404("No such survey")
    survey = selectors.open_staff_survey(token)
    if survey is None:
        raise Http404("No such survey")
    fw = selectors.framework_of(survey.assessment)
    lang = presentation.language()
    questions = selectors.staff_questions(fw)
    cookie = REPLIED_COOKIE.format(survey.pk)
    context: dict[str, Any] = {
        "school": survey.assessment.institution, "closed": survey.closed_at is not None,
        "replied": request.get_signed_cookie(cookie, default="", salt="staff") == "1",
        "level_names": presentation.level_labels(fw, lang),
        "questions": [presentation.question(q, lang, None) for q in questions]}
    if request.method == "POST" and not context["closed"] and not context["replied"]:
        try:
            record_reply(survey, _posted(request, questions))
        except AssessmentError as problem:
            context["error"] = str(problem)
        else:
            response = render(request, "assessment/staff_thanks.html", context)
            response.set_signed_cookie(cookie, "1", salt="staff", httponly=True,
                                       secure=settings.SESSION_COOKIE_SECURE,
                                       samesite="Lax", max_age=REPLIED_DAYS * 86400)
            response["X-Robots-Tag"] = "noindex"
            return response
    response = render(request, "assessment/staff_reply.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
