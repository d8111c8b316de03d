"""Policy documents: generate a new version from the answers, read any version, as PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import access, access_institution
from ictmonitor.assessment import editable, pdf, policies, presentation, services
from ictmonitor.assessment.forms import GenerateForm
from ictmonitor.assessment.models import PolicyDocument
from ictmonitor.assessment.views.common import (
    READERS,
    pdf_response,
    require_edit,
    school_context,
)
from ictmonitor.core.ids import query_id


@access(*READERS)
def documents(request: HttpRequest, number: str) -> HttpResponse:
    """Every version of the school's documents; ?id=N shows one (?lang=nl|en)."""
    institution = access_institution(request.user, number)
    if request.method == "POST":
        require_edit(request.user)
        form = GenerateForm(request.POST)
        if not form.is_valid():
            raise Http404("No such document")
        document = services.generate_document(institution, form.cleaned_data["kind"],
                                              by=request.user)
        messages.success(request, _("Version %(number)s of the %(kind)s is ready.")
                         % {"number": document.number, "kind": document.get_kind_display()})
        return redirect(reverse("assessment:documents", args=[number]) + f"?id={document.pk}")
    found = PolicyDocument.objects.filter(institution=institution).select_related("created_by")
    wanted = query_id(request)
    shown = found.filter(pk=wanted).first() if wanted else None
    if wanted and shown is None:
        raise Http404("No such document")
    lang = presentation.chosen(request.GET.get("lang"))
    kinds = [{"code": code, "name": name, "versions": [d for d in found if d.kind == code]}
             for code, name in PolicyDocument.Kind.choices]
    return render(request, "assessment/documents.html", school_context(
        request, institution, kinds=kinds, shown=shown, shown_lang=lang,
        body=mark_safe(shown.body(lang)) if shown else "",  # noqa: S308 - rendered by us
        source=policies.source_assessment(institution)))


def _chosen(request: HttpRequest, institution: Any) -> tuple[str, str, bool, str]:
    """The version asked for (?id=N, ?lang), else the latest of ?kind, else an unsaved draft:
    (its body, its kind, whether it is a draft, the file name without extension)."""
    lang = presentation.chosen(request.GET.get("lang"))
    kind = request.GET.get("kind") or PolicyDocument.Kind.ACCEPTABLE_USE
    if kind not in PolicyDocument.Kind.values:
        raise Http404("No such document")
    found = PolicyDocument.objects.filter(institution=institution)
    wanted = query_id(request)
    document = (found.filter(pk=wanted).first() if wanted
                else found.filter(kind=kind).order_by("-number").first())
    if wanted and document is None:
        raise Http404("No such document")
    if document is not None:
        return (document.body(lang), document.kind, False,
                f"{document.kind}-{institution.number}-v{document.number}-{lang}")
    # Nothing stored yet: what a first version would say, marked as a draft.
    body = policies.render_body(kind, institution, policies.source_assessment(institution),
                                0, timezone.localtime(), request.user.get_username(), lang)
    return body, kind, True, f"{kind}-{institution.number}-draft-{lang}"


def _title(kind: str, lang: str) -> str:
    with translation.override(lang):
        return str(PolicyDocument.Kind(kind).label)


@access(*READERS)
def document_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """A version as PDF (?id=N, ?lang); without id the latest of ?kind, else an unsaved draft."""
    institution = access_institution(request.user, number)
    lang = presentation.chosen(request.GET.get("lang"))
    body, kind, draft, name = _chosen(request, institution)
    data = pdf.render_pdf("assessment/pdf/document.html", {
        "institution": institution, "body": mark_safe(body),  # noqa: S308 - ours
        "draft": draft, "title": _title(kind, lang)}, lang)
    return pdf_response(data, f"{name}.pdf")


def _editable(request: HttpRequest, number: str, extension: str) -> HttpResponse:
    """A version as an editable file (OpenDocument text or Word), chosen as for the PDF."""
    institution = access_institution(request.user, number)
    lang = presentation.chosen(request.GET.get("lang"))
    body, kind, _draft, name = _chosen(request, institution)
    response = HttpResponse(editable.render(body, _title(kind, lang), extension),
                            content_type=editable.FORMATS[extension])
    disposition = content_disposition_header(True, f"{name}.{extension}")
    if disposition is not None:  # None only for an empty name
        response["Content-Disposition"] = disposition
    return response


@access(*READERS)
def document_odt(request: HttpRequest, number: str) -> HttpResponse:
    """A version as OpenDocument text, to adapt in LibreOffice and other word processors."""
    return _editable(request, number, "odt")


@access(*READERS)
def document_docx(request: HttpRequest, number: str) -> HttpResponse:
    """A version as a Word document, to adapt in Word and other word processors."""
    return _editable(request, number, "docx")
