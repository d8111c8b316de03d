"""The personal action plan: actions in order, each with why, how, fact sheets and modules;
owner, due date and status tracked; as a PDF in Dutch or English."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import access, access_institution
from ictmonitor.assessment import pdf, presentation, selectors, services
from ictmonitor.assessment.forms import ActionForm
from ictmonitor.assessment.models import Action, Assessment
from ictmonitor.assessment.views.common import (
    READERS,
    pdf_response,
    require_edit,
    school_context,
)
from ictmonitor.core.ids import parsed_id, query_id
from ictmonitor.core.templatetags.placed_messages import place


def _assessment(request: HttpRequest, institution: Any) -> Assessment | None:
    """The submitted assessment asked for (?id=N), else the latest; 404 for another school's."""
    wanted = query_id(request)
    found = selectors.submitted(institution)
    assessment = found.filter(pk=wanted).first() if wanted else found.first()
    if wanted and assessment is None:
        raise Http404("No such assessment")
    return assessment


@access(*READERS)
def plan(request: HttpRequest, number: str) -> HttpResponse:
    """The plan of the latest submitted assessment (or ?id=N); the coordinator updates actions."""
    institution = access_institution(request.user, number)
    if request.method == "POST":
        require_edit(request.user)
    assessment = _assessment(request, institution)
    if request.method == "POST" and assessment is not None:
        return _save_action(request, number, assessment)
    shown = _shown_status(request.GET.get("status"))
    context = school_context(request, institution, assessment=assessment,
                             statuses=Action.Status.choices, today=timezone.localdate(),
                             shown_status=shown)
    if assessment is not None:
        actions = list(assessment.actions.all())
        rows = presentation.plan_rows(assessment, presentation.language(), actions)
        listed = [r for r in rows if not shown or r["action"].status == shown]
        context.update(focus=[r for r in listed if r["action"].focus],
                       backlog=[r for r in listed if not r["action"].focus],
                       listed=len(listed), counts=presentation.plan_progress(actions),
                       shown_name=dict(Action.Status.choices).get(shown, ""))
    return render(request, "assessment/plan.html", context)


def _shown_status(given: str | None) -> str:
    """The status the plan is filtered by (?status=), or "" for every action."""
    return given if given in Action.Status.values else ""


def _save_action(request: HttpRequest, number: str, assessment: Assessment) -> HttpResponse:
    """Save one action's form; the outcome is said by that action (its `at:` message), and the
    page comes back to it, with the filter it was shown under."""
    wanted = parsed_id(request.POST.get("action"))
    action = assessment.actions.filter(pk=wanted).first() if wanted else None
    form = ActionForm(request.POST)
    if form.is_valid() and action is None:
        raise Http404("No such action")
    where = place(f"action-{action.pk}") if action else ""
    if form.is_valid() and action is not None:
        data = form.cleaned_data
        try:
            services.update_action(action, owner=data["owner"], due_on=data["due_on"],
                                   status=data["status"], focus=data["focus"], by=request.user)
        except services.AssessmentError as problem:
            messages.error(request, str(problem), extra_tags=where)
        else:
            messages.success(request, _("The action is saved."), extra_tags=where)
    else:
        messages.error(request, _("The action was not saved: check the owner, the date "
                                  "and the status."), extra_tags=where)
    shown = _shown_status(request.POST.get("shown"))
    query = f"?id={assessment.pk}" + (f"&status={shown}" if shown else "")
    anchor = f"#action-{action.pk}" if action else ""
    return redirect(reverse("assessment:plan", args=[number]) + query + anchor)


@access(*READERS)
def plan_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The action plan as a PDF (?lang=nl|en, ?id=N)."""
    institution = access_institution(request.user, number)
    assessment = _assessment(request, institution)
    lang = presentation.chosen(request.GET.get("lang"))
    context: dict[str, Any] = {"institution": institution, "assessment": assessment}
    with translation.override(lang):
        if assessment is not None:
            actions = list(assessment.actions.all())
            fw = selectors.framework_of(assessment)
            context.update(rows=presentation.plan_rows(assessment, lang, actions),
                           counts=presentation.plan_progress(actions),
                           scores=presentation.score_rows(assessment, [], lang),
                           statuses=dict(Action.Status.choices),
                           title=fw.title.get(lang))
        data = pdf.render_pdf("assessment/pdf/plan.html", context, lang)
    cycle = assessment.cycle if assessment else 0
    return pdf_response(data, f"actieplan-{institution.number}-{cycle}-{lang}.pdf"
                        if lang == "nl" else f"action-plan-{institution.number}-{cycle}-en.pdf")
