"""The connectivity pages: a school's lines, the configurator, the provider's queue, upload and
lines, and the board's comparison. Thin: parse, call a service or selector, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import (
    EVERY_ROLE,
    SEES_EVERY_SCHOOL,
    Role,
    access,
    access_institution,
    role_of,
)
from ictmonitor.connectivity import selectors, standards
from ictmonitor.connectivity.forms import (
    ConfigureForm,
    FeedForm,
    LinesFilter,
    initial_for,
)
from ictmonitor.connectivity.models import OfferPrice, Request
from ictmonitor.connectivity.services import SolutionError, submit_request
from ictmonitor.core.translation import language
from ictmonitor.jobs.views import queue_from_form, upload_form
from ictmonitor.registry.models import Institution

PAGE_SIZE = 50
REQUESTS_SHOWN = 50


@access(*EVERY_ROLE)
def school(request: HttpRequest, number: str) -> HttpResponse:
    """A school's locations with the lines the user may see, each with its history."""
    institution = access_institution(request.user, number)
    places = selectors.school_lines(request.user, institution)
    lines = [line for place in places for line in (*place.active, *place.other)]
    history = selectors.line_history(lines)
    for line in lines:
        line.history = history.get(line.pk, [])  # type: ignore[attr-defined]
    requests = selectors.visible_requests(request.user).filter(
        location__institution=institution).order_by("-submitted_at")[:REQUESTS_SHOWN]
    return render(request, "connectivity/school.html", {
        "institution": institution,
        "places": places,
        "requests": selectors.describe_requests(requests),
        "may_configure": role_of(request.user) in (Role.COORDINATOR, Role.ADMIN),
        "is_provider": role_of(request.user) == Role.PROVIDER,
    })


@access(Role.COORDINATOR, Role.ADMIN)
def configure(request: HttpRequest, number: str) -> HttpResponse:
    """Compose a line for one location, see its monthly cost and risks, and request it."""
    institution = access_institution(request.user, number)
    action = request.POST.get("action") if request.method == "POST" else None
    sending = action in ("review", "submit")  # a paid line: checked on its own page, then sent
    if request.method == "POST":
        form = ConfigureForm(request.POST, institution=institution, adjust=not sending)
    else:
        form = ConfigureForm(institution=institution,
                             initial=initial_for(institution, request.GET.get("location")))
    if action == "review" and form.is_valid():
        return render(request, "connectivity/review.html", {
            "institution": institution, "form": form, "solution": form.solution(),
            "location": form.location_chosen(),
            "kept": [(key, value) for key, values in request.POST.lists()
                     if key not in ("csrfmiddlewaretoken", "action") for value in values]})
    if action == "submit" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = submit_request(location=form.location_chosen(), provider=data["provider"],
                                  offer=data["offer"], download_mbps=data["download_mbps"],
                                  modules=data["modules"], user=request.user,
                                  access_points=data.get("access_points") or 0,
                                  devices=data.get("devices") or 0)
        except SolutionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _(
                "Your request was sent to %(provider)s: %(cost)s a month and %(one_off)s once, "
                "without VAT. It shows as confirmed once the provider's feed contains the line."
            ) % {"provider": sent.provider.name,
                 "cost": f"€ {formats.number_format(sent.monthly_eur, 2)}",
                 "one_off": f"€ {formats.number_format(sent.one_off_eur, 2)}"})
            return redirect(reverse("connectivity:school", args=[number]) + "#requests")
    solution = form.solution()
    context = {"institution": institution, "form": form, "solution": solution,
               "sent": sending, "standard": quoted_verdict(institution, solution.tier)}
    if request.headers.get("HX-Request") == "true":
        return render(request, "connectivity/_configurator.html", context)
    return render(request, "connectivity/configure.html", context)


def quoted_verdict(institution: Institution, tier: OfferPrice | None) -> dict[str, Any] | None:
    """Whether the quoted tier meets the connectivity standard in force, for the page."""
    if tier is None:
        return None
    verdict = selectors.meets_standard(institution, tier.download_mbps, tier.upload_mbps)
    return standards.describe(verdict, language())


@access(Role.PROVIDER, Role.ADMIN)
def queue(request: HttpRequest) -> HttpResponse:
    """The requests schools sent to the user's provider: waiting first, then confirmed."""
    found = selectors.visible_requests(request.user)
    waiting = found.filter(status=Request.Status.SUBMITTED).order_by("submitted_at", "pk")
    done = found.filter(status=Request.Status.CONFIRMED).order_by("-confirmed_at", "-pk")
    page = Paginator(done, PAGE_SIZE).get_page(request.GET.get("page"))
    catalogue = selectors.modules()
    page.object_list = selectors.describe_requests(page.object_list, catalogue)
    return render(request, "connectivity/queue.html", {
        "waiting": selectors.describe_requests(waiting, catalogue),
        "page": page,
        "every_provider": role_of(request.user) in SEES_EVERY_SCHOOL,
    })


@access(Role.PROVIDER, Role.ANALYST, Role.ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a subscription feed, imported as a job; a provider's may hold only its own lines."""
    form = upload_form(request, FeedForm)
    if request.method == "POST":
        queued = queue_from_form(request, form, "subscriptions")
        if queued is not None:
            return queued
    return render(request, "connectivity/upload.html", {
        "form": form, "provider": getattr(request.user, "provider", None),
        "confined": role_of(request.user) == Role.PROVIDER,
    })


@access(Role.PROVIDER, Role.ANALYST, Role.ADMIN)
def lines(request: HttpRequest) -> HttpResponse:
    """The lines the user may see (a provider its own), a page at a time, by school."""
    every = role_of(request.user) in SEES_EVERY_SCHOOL
    form = LinesFilter(request.GET, providers=every)
    filters = form.filters()
    found = selectors.listed_lines(request.user, school=filters.get("school"),
                                   provider=filters.get("provider"))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.describe_lines(page.object_list)
    return render(request, "connectivity/lines.html", {
        "form": form, "page": page, "filtered": bool(filters), "every_provider": every,
    })


@access(Role.BOARD)
def board(request: HttpRequest) -> HttpResponse:
    """The board's schools side by side: each location's lines, modules and monthly cost."""
    return render(request, "connectivity/board.html", {
        "schools": selectors.board_comparison(request.user),
        "catalogue": [(m.code, selectors.text(m, "name")) for m in selectors.modules()],
    })
