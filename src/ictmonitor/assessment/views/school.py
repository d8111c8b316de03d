"""A school's assessment: the overview, answering per area (autosaved), submitting, the result."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import access, access_institution
from ictmonitor.assessment import presentation, rendering, scoring, selectors, services
from ictmonitor.assessment.forms import AnswersForm, SubmitForm
from ictmonitor.assessment.labels import renewable_from
from ictmonitor.assessment.models import Assessment
from ictmonitor.assessment.views.common import (
    READERS,
    is_autosave,
    require_edit,
    school_context,
)
from ictmonitor.core.ids import query_id


@access(*READERS)
def overview(request: HttpRequest, number: str) -> HttpResponse:
    """Where the school stands: its label, the assessment in progress or the last one, links."""
    institution = access_institution(request.user, number)
    if request.method == "POST" and request.POST.get("action") == "start":
        require_edit(request.user)
        services.start_assessment(institution, by=request.user)
        return redirect("assessment:answers", number=number)
    if request.method == "POST" and request.POST.get("action") == "move":
        require_edit(request.user)
        found = selectors.draft_of(institution)
        if found is None:
            raise Http404("No assessment in progress")
        try:
            moved = services.move_draft(found, by=request.user)
        except services.AssessmentError as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, _("Your answers moved to version %(version)s; answer its "
                                        "new questions, then submit.")
                             % {"version": moved.version})
        return redirect("assessment:overview", number=number)
    draft, latest = selectors.draft_of(institution), selectors.latest_submitted(institution)
    lang = presentation.language()
    label = selectors.current_label(institution)
    fw = selectors.current_framework()
    awaiting = selectors.awaiting_label(institution)
    context = school_context(
        request, institution, draft=draft, latest=latest, label=label,
        awaiting=awaiting.title.get(lang) if awaiting else None,
        announcement=selectors.announcement(institution),
        renewal=selectors.renewal_notice(institution),
        history=selectors.submitted(institution)[:10],
        titles=presentation.area_titles(fw, lang),
        renewable_on=renewable_from(label.awarded_on, fw.renewable_after_months)
        if label else None, today=timezone.localdate())
    if draft is not None:
        superseded = services.superseded_by(draft)
        context.update(superseded=superseded.version if superseded else None)
        draft_fw = selectors.framework_of(draft)
        changes = selectors.changes(draft)
        previous = draft.previous
        context.update(progress=selectors.progress(draft_fw, selectors.levels_of(draft)),
                       titles=presentation.area_titles(draft_fw, lang),
                       changed=sum(1 for c in changes if not c.new),
                       fresh=[{"code": c.question.code, "area": c.question.area,
                               "text": c.question.text.get(lang)} for c in changes if c.new],
                       moved_from=previous.version if previous is not None
                       and previous.version != draft.version else None)
    return render(request, "assessment/overview.html", context)


def _area(fw, code: str | None):  # type: ignore[no-untyped-def]
    """The area asked for, else the first."""
    return next((a for a in fw.areas if a.code == code), fw.areas[0])


@access(*READERS)
def answers(request: HttpRequest, number: str) -> HttpResponse:
    """Answer one area's questions; each change is saved at once (and with the Save button)."""
    institution = access_institution(request.user, number)
    if request.method == "POST":
        require_edit(request.user)
    draft = selectors.draft_of(institution)
    if draft is None:
        if is_autosave(request):
            return JsonResponse({"error": _("No assessment is in progress.")}, status=409)
        return render(request, "assessment/answers.html", school_context(request, institution))
    fw = selectors.framework_of(draft)
    area = _area(fw, request.POST.get("area") or request.GET.get("area"))
    if request.method == "POST":
        form = AnswersForm(request.POST, questions=list(area.questions))
        error = None
        levels: dict[str, int | str] = {}
        if form.is_valid():
            try:
                services.save_answers(draft, form.posted(), by=request.user,
                                      levels_after=levels)
            except services.AssessmentError as problem:
                error = str(problem)
        if error is not None or not form.is_valid():
            error = error or _("Choose one of the levels offered.")
            levels = dict(selectors.answers_of(draft))
        if is_autosave(request):
            counts = selectors.progress(fw, levels)
            return JsonResponse({
                "saved": error is None, "error": error,
                "areas": {p.code: [p.answered, p.total] for p in counts},
                "answered": sum(p.answered for p in counts),
                "total": sum(p.total for p in counts),
                "at": timezone.localtime().strftime("%H:%M:%S")}, status=200 if not error
                else 409)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Your answers are saved."))
        following = request.POST.get("next")
        if following == "submit":
            return redirect("assessment:submit", number=number)
        target = following if following in {a.code for a in fw.areas} else area.code
        return redirect(reverse("assessment:answers", args=[number]) + f"?area={target}")
    lang = presentation.language()
    levels = selectors.answers_of(draft)
    codes = [a.code for a in fw.areas]
    index = codes.index(area.code)
    return render(request, "assessment/answers.html", school_context(
        request, institution, draft=draft, fw=fw, area=area,
        area_title=area.title.get(lang), area_description=area.description.get(lang),
        titles=presentation.area_titles(fw, lang), progress=selectors.progress(fw, levels),
        level_names=presentation.level_labels(fw, lang),
        questions=[presentation.question(q, lang, levels.get(q.code)) for q in area.questions],
        modules={m["code"]: m for m in presentation.modules(
            {c for q in area.questions for c in q.modules}, lang)},
        next_area=codes[index + 1] if index + 1 < len(codes) else None,
        previous_area=codes[index - 1] if index else None))


@access(*READERS)
def submit(request: HttpRequest, number: str) -> HttpResponse:
    """Check what is left unanswered, confirm, and submit: scores, plan and label follow."""
    institution = access_institution(request.user, number)
    if request.method == "POST":
        require_edit(request.user)
    draft = selectors.draft_of(institution)
    posted = request.method == "POST"
    latest = selectors.latest_submitted(institution) if posted and draft is None else None
    if latest is not None:
        # A second click on Submit (or a resent form): show what the first one gave.
        messages.info(request, _("This assessment was submitted already."))
        return redirect(reverse("assessment:result", args=[number]) + f"?id={latest.pk}")
    # Bound on every POST: with every question answered the form sends no field of its own.
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if draft is not None and request.method == "POST" and form.is_valid():
        try:
            services.refuse_superseded(draft)
            outcome = services.submit_assessment(
                draft, by=request.user, confirm_unanswered=form.cleaned_data["confirm"])
        except services.AssessmentError as problem:
            form.add_error("confirm", str(problem))
        else:
            message = _("Submitted. Your action plan is ready.")
            if outcome.label is not None:
                message = _("Submitted. Your school earned the %(level)s label.") % {
                    "level": outcome.label.get_level_display()}
            messages.success(request, message)
            return redirect(reverse("assessment:result", args=[number]) + f"?id={draft.pk}")
    context = school_context(request, institution, draft=draft, form=form)
    if draft is not None:
        fw = selectors.framework_of(draft)
        levels = selectors.levels_of(draft)
        lang = presentation.language()
        context.update(
            progress=selectors.progress(fw, levels), titles=presentation.area_titles(fw, lang),
            missing=len(fw.questions) - len(levels), changes=_changes(draft, lang))
    return render(request, "assessment/submit.html", context)


def _changes(assessment: Assessment, lang: str) -> list[dict[str, object]]:
    """What changed since the previous cycle, with level names."""
    fw = selectors.framework_of(assessment)
    names: dict[int | str, str] = {**presentation.mark_labels()}
    names.update(presentation.level_labels(fw, lang).items())
    return [{"question": c.question.text.get(lang), "code": c.question.code,
             "before": names.get(c.before) if c.before is not None else None,
             "now": names.get(c.now) if c.now is not None else None, "new": c.new}
            for c in selectors.changes(assessment)]


@access(*READERS)
def result(request: HttpRequest, number: str) -> HttpResponse:
    """A submitted assessment's scores against comparable schools, its label and its changes."""
    institution = access_institution(request.user, number)
    wanted = query_id(request)
    found = selectors.submitted(institution).select_related("institution", "previous")
    assessment = found.filter(pk=wanted).first() if wanted else found.first()
    if wanted and assessment is None:
        raise Http404("No such assessment")
    context = school_context(request, institution, assessment=assessment,
                             history=found[:20])
    if assessment is None:
        return render(request, "assessment/result.html", context)
    lang = presentation.language()
    fw = selectors.framework_of(assessment)
    groups = selectors.comparisons(assessment)
    rows = presentation.score_rows(assessment, groups, lang)
    names = {"level": _("Same level"), "province": _("Same province"), "all": _("All schools")}
    series = [institution.name, *[names[g.group] for g in groups]]
    levels = selectors.levels_of(assessment)
    absent = selectors.not_applicable_of(assessment)
    checks = selectors.label_checks(assessment)
    awaiting = scoring.awaiting_review(checks)
    level_names = presentation.level_labels(fw, lang)
    context.update(
        rows=rows, groups=[{"name": names[g.group], "schools": g.schools, "shown": g.shown}
                           for g in groups],
        spec=rendering.chart_spec(rows[:-1], series, _("Scores per area (0–100)"),
                                  _("score")),
        checks=[{"title": c.rule.title.get(lang), "code": c.rule.code, "met": c.met,
                 "failed": c.failed, "rule": c.rule,
                 "critical_level": level_names.get(c.rule.min_critical_level)
                 if c.rule.min_critical_level > 1 else None} for c in checks],
        awaiting=awaiting.title.get(lang) if awaiting else None,
        gaps=[fw.question(code).text.get(lang)
              for code in scoring.critical_gaps(fw, levels, absent)],
        label=assessment.labels.first(), changes=_changes(assessment, lang),
        unanswered=len(fw.questions) - len(levels),
        actions_done_percent=round(100 * (assessment.actions_done or 0)))
    return render(request, "assessment/result.html", context)
