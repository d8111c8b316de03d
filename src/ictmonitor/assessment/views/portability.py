"""A new framework version for label holders (answer only the new questions), and the school's
whole history to take away, as JSON and as PDF."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import access, access_institution
from ictmonitor.assessment import pdf, portability, presentation, selectors, services
from ictmonitor.assessment.forms import AnswersForm
from ictmonitor.assessment.models import PolicyDocument
from ictmonitor.assessment.views.common import (
    READERS,
    pdf_response,
    require_edit,
    school_context,
)


@access(*READERS)
def new_version(request: HttpRequest, number: str) -> HttpResponse:
    """The questions a newer framework version adds; answering them moves the assessment on."""
    institution = access_institution(request.user, number)
    news = selectors.announcement(institution)
    lang = presentation.language()
    form = None
    if news is not None:
        form = AnswersForm(request.POST or None, questions=list(news.questions), required=True)
        if request.method == "POST":
            require_edit(request.user)
            if form.is_valid():
                try:
                    services.upgrade_assessment(news.assessment, form.levels(), by=request.user)
                except services.AssessmentError as problem:
                    form.add_error(None, str(problem))
                else:
                    messages.success(request, _("Your assessment is now on version %(version)s.")
                                     % {"version": news.new.version})
                    return redirect(reverse("assessment:result", args=[number])
                                    + f"?id={news.assessment.pk}")
    questions = []
    if news is not None:
        titles = presentation.area_titles(news.new, lang)
        for q in news.questions:
            shown = presentation.question(q, lang)
            shown["area_title"] = titles[q.area]
            chosen = form[q.code].value() if form is not None and form.is_bound else None
            shown["chosen"] = str(chosen) if chosen not in (None, "") else ""
            shown["errors"] = form.errors.get(q.code) if form is not None else None
            questions.append(shown)
    return render(request, "assessment/new_version.html", school_context(
        request, institution, news=news, form=form, questions=questions,
        level_names=presentation.level_labels(news.new, lang) if news else {}))


def _address(request: HttpRequest):  # type: ignore[no-untyped-def]
    return lambda token: request.build_absolute_uri(reverse("labels:verify", args=[token]))


@access(*READERS)
def export_json(request: HttpRequest, number: str) -> HttpResponse:
    """The school's whole history as one JSON file."""
    institution = access_institution(request.user, number)
    data = portability.history(institution, _address(request))
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False,
                                       indent=2), content_type="application/json")
    name = f"ictmonitor-{institution.number}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@access(*READERS)
def export_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The school's whole history as one PDF (?lang=nl|en)."""
    institution = access_institution(request.user, number)
    lang = presentation.chosen(request.GET.get("lang"))
    data = portability.history(institution, _address(request))
    fw = selectors.current_framework()
    questions = presentation.question_texts(fw.id, lang)
    with translation.override(lang):
        kinds = {str(code): str(name) for code, name in PolicyDocument.Kind.choices}
        body = pdf.render_pdf("assessment/pdf/history.html", {
            "institution": institution, "data": data, "questions": questions,
            "titles": presentation.area_titles(fw, lang), "kinds": kinds,
            "levels": presentation.level_labels(fw, lang),
            "marks": presentation.mark_labels()}, lang)
    return pdf_response(body, f"ictmonitor-{institution.number}-history-{lang}.pdf")
