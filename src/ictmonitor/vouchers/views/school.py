"""A school's vouchers: ask for codes, see them and their states, hand them out, print letters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import Role, access, access_institution, role_of
from ictmonitor.core.ids import parsed_id
from ictmonitor.core.translation import known_language
from ictmonitor.core.translation import language as page_language
from ictmonitor.vouchers import selectors, services
from ictmonitor.vouchers.forms import (
    HandOutForm,
    ProblemForm,
    RequestForm,
    StateFilterForm,
    VoucherForm,
)
from ictmonitor.vouchers.letters import render_letters
from ictmonitor.vouchers.models import State

SCHOOL_STAFF = (Role.COORDINATOR, Role.BOARD)
PAGE_SIZE = 50


@access(*SCHOOL_STAFF, Role.ANALYST, Role.ADMIN)
def school(request: HttpRequest, number: str) -> HttpResponse:
    """The school's requests and codes; its own people ask, hand out, note and extend here."""
    institution = access_institution(request.user, number)
    staff = role_of(request.user) in SCHOOL_STAFF
    waves = selectors.open_waves()
    if request.method == "POST" and staff:
        _act(request, institution, waves)
        return redirect(request.get_full_path())
    today = timezone.localdate()
    state_form = StateFilterForm(request.GET)
    state = state_form.cleaned_data["state"] if state_form.is_valid() else ""
    page = Paginator(selectors.school_vouchers(institution, state, today), PAGE_SIZE).get_page(
        request.GET.get("page"))
    for voucher in page:
        voucher.state_now = voucher.state(today)  # type: ignore[attr-defined]
    return render(request, "vouchers/school.html", {
        "institution": institution, "staff": staff, "page": page, "state_form": state_form,
        "requests": selectors.school_requests(institution),
        "request_form": RequestForm(waves=waves) if waves and staff else None,
        "problem_form": ProblemForm(), "states": State, "language": page_language(),
    })


def _act(request: HttpRequest, institution: Any, waves: list[Any]) -> None:
    """Run the action the school's page posted, and say how it went."""
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "request":
            form: Any = RequestForm(request.POST, waves=waves)
            if _valid(request, form):
                made = services.request_vouchers(form.cleaned_data["wave"],
                                                 form.cleaned_data["pupils"], by=user,
                                                 institution=institution)
                wave = made.wave.name(page_language())
                messages.success(request, _("You asked for codes for %(pupils)s pupils in "
                                            "%(wave)s.") % {"pupils": made.pupils, "wave": wave})
                year, known = selectors.pupil_count(institution, timezone.localdate())
                if known is None:
                    messages.warning(request, _(
                        "No pupil count of this school is known for the school year %(year)s, "
                        "so the number asked for could not be checked against it; the "
                        "department sees the request as it is.") % {"year": year})
        elif action == "hand-out":
            form = HandOutForm(request.POST)
            if _valid(request, form):
                voucher = services.hand_out(form.cleaned_data["voucher"], institution,
                                            form.cleaned_data["pupil_ref"], by=user)
                messages.success(request, _("Code %(code)s was handed out to %(ref)s.") % {
                    "code": voucher.code, "ref": form.cleaned_data["pupil_ref"]})
        elif action == "problem":
            form = ProblemForm(request.POST)
            if _valid(request, form):
                services.note_problem(form.cleaned_data["voucher"], institution,
                                      form.cleaned_data["problem"], by=user)
                messages.success(request, _("The reason was noted."))
        elif action == "extend":
            form = VoucherForm(request.POST)
            if _valid(request, form):
                voucher = services.extend_voucher(form.cleaned_data["voucher"], by=user,
                                                  school=institution)
                messages.success(request, _("Code %(code)s was extended until %(day)s.") % {
                    "code": voucher.code, "day": voucher.extended_until})
        else:
            messages.error(request, _("Nothing was done: the form was not understood."))
    except services.VoucherError as refused:
        messages.error(request, str(refused))


def _valid(request: HttpRequest, form: Any) -> bool:
    """Whether the form is valid; its errors become messages otherwise."""
    if form.is_valid():
        return True
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return False


@access(*SCHOOL_STAFF)
def letters(request: HttpRequest, number: str) -> HttpResponse:
    """One PDF with a letter per pupil (the code, how to activate it, the provider; no name):
    the codes ticked (`?voucher=ID`), else every code handed out and not yet activated."""
    institution = access_institution(request.user, number)
    chosen = [i for v in request.GET.getlist("voucher") if (i := parsed_id(v)) is not None]
    language = known_language(request.GET.get("lang"))
    found = selectors.letter_vouchers(institution, chosen)
    if not found:
        return render(request, "vouchers/no_letters.html", {"institution": institution})
    response = HttpResponse(render_letters(found, institution, language),
                            content_type="application/pdf")
    name = f"vouchers-{institution.number}-{timezone.localdate():%Y-%m-%d}-{language}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=name)
    return response
