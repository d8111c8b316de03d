"""Labels: the school's labels with their state, revocation, the certificate with its QR code,
and the public verification page (no login; the address is an unguessable token)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import PUBLIC, access, access_institution, role_of
from ictmonitor.assessment import labels, pdf, presentation, selectors, services
from ictmonitor.assessment.forms import RevokeForm
from ictmonitor.assessment.models import Label
from ictmonitor.assessment.views.common import (
    READERS,
    REVOKERS,
    pdf_response,
    school_context,
)
from ictmonitor.core.ids import query_id
from ictmonitor.registry.selectors import province_name

TOKEN_MAX = 64


def verify_url(request: HttpRequest, label: Label) -> str:
    """The absolute address of a label's public verification page."""
    return request.build_absolute_uri(reverse("labels:verify", args=[label.token]))


def _described(request: HttpRequest, label: Label, today: Any) -> Label:
    """A label with its state today and its verification address, for templates."""
    label.state = labels.status(label.awarded_on, label.valid_until,  # type: ignore[attr-defined]
                                label.revoked_at, today)
    label.verify = verify_url(request, label) if label.token else ""  # type: ignore[attr-defined]
    return label


@access(*READERS)
def label(request: HttpRequest, number: str) -> HttpResponse:
    """The school's labels, the current one first; analysts and administrators may revoke."""
    institution = access_institution(request.user, number)
    if request.method == "POST":
        if role_of(request.user) not in REVOKERS:
            raise PermissionDenied
        form = RevokeForm(request.POST)
        if form.is_valid():
            found = Label.objects.filter(pk=form.cleaned_data["label"],
                                         institution=institution).first()
            if found is None:
                raise Http404("No such label")
            try:
                services.revoke_label(found, form.cleaned_data["reason"], by=request.user)
            except services.AssessmentError as problem:
                messages.error(request, str(problem))
            else:
                messages.success(request, _("The label is revoked."))
        else:
            messages.error(request, _("Give the reason for revoking the label."))
        return redirect("assessment:label", number=number)
    today = timezone.localdate()
    fw = selectors.current_framework()
    shown = [_described(request, item, today) for item in selectors.school_labels(institution)]
    current = selectors.current_label(institution, today)
    return render(request, "assessment/label.html", school_context(
        request, institution, labels=shown, current=current, today=today,
        renewable_on=labels.renewable_from(current.awarded_on, fw.renewable_after_months)
        if current else None, revoke_form=RevokeForm()))


@access(*READERS)
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    """A label's certificate as a PDF with a QR code to its verification page (?id=N, ?lang)."""
    institution = access_institution(request.user, number)
    wanted = query_id(request)
    found = selectors.school_labels(institution).filter(token__isnull=False)
    chosen = (found.filter(pk=wanted).first() if wanted
              else selectors.current_label(institution) or found.first())
    if wanted and chosen is None:
        raise Http404("No such label")
    if chosen is None:
        return render(request, "assessment/label.html", school_context(
            request, institution, labels=[], current=None, no_certificate=True))
    lang = presentation.chosen(request.GET.get("lang"))
    address = verify_url(request, chosen)
    with translation.override(lang):
        data = pdf.render_pdf("assessment/pdf/certificate.html", {
            "institution": institution, "label": chosen, "address": address,
            "qr": pdf.qr_data_uri(address),
            "level": selectors.level_titles(lang).get(chosen.level, chosen.level),
            "state": labels.status(chosen.awarded_on, chosen.valid_until, chosen.revoked_at,
                                   timezone.localdate()),
            "province": province_name(institution.province)}, lang)
    return pdf_response(data, f"label-{institution.number}-{chosen.awarded_on}.pdf")


@access(PUBLIC)
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone checks a label: the school, its level, the dates and whether it is valid now."""
    well_formed = len(token) <= TOKEN_MAX and token.replace("-", "").replace("_", "").isalnum()
    found = (Label.objects.select_related("institution", "institution__province")
             .filter(token=token).first()) if well_formed else None
    if found is None:  # said to whoever holds the certificate, not a bare "page not found"
        unknown = render(request, "assessment/verify_unknown.html", status=404)
        unknown["X-Robots-Tag"] = "noindex"
        return unknown
    today = timezone.localdate()
    response = render(request, "assessment/verify.html", {
        "label": found, "school": found.institution, "today": today,
        "state": labels.status(found.awarded_on, found.valid_until, found.revoked_at, today),
        "province": province_name(found.institution.province)})
    response["X-Robots-Tag"] = "noindex"
    return response
