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
from ictmonitor.core.ids import query_id


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
        form = ActionForm(request.POST)
        anchor = ""
        if form.is_valid():
            data = form.cleaned_data
            action = Action.objects.filter(pk=data["action"], assessment=assessment).first()
            if action is None:
                raise Http404("No such action")
            anchor = f"#action-{action.pk}"
            try:
                services.update_action(action, owner=data["owner"], due_on=data["due_on"],
                                       status=data["status"], focus=data["focus"],
                                       by=request.user)
            except services.AssessmentError as problem:
                messages.error(request, str(problem))
            else:
                messages.success(request, _("The action is saved."))
        else:
            messages.error(request, _("The action was not saved: check the owner, the date "
                                      "and the status."))
        return redirect(reverse("assessment:plan", args=[number])
                        + f"?id={assessment.pk}{anchor}")
    context = school_context(request, institution, assessment=assessment,
                             statuses=Action.Status.choices, today=timezone.localdate())
    if assessment is not None:
        actions = list(assessment.actions.all())
        rows = presentation.plan_rows(assessment, presentation.language(), actions)
        context.update(focus=[r for r in rows if r["action"].focus],
                       backlog=[r for r in rows if not r["action"].focus],
                       counts=presentation.plan_progress(actions))
    return render(request, "assessment/plan.html", context)


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
