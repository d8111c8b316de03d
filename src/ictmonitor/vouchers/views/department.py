"""The department's voucher tools: waves, allocation across providers, the activation gap,
reallocation of idle codes, and the time from issue to activation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import Role, access
from ictmonitor.core.translation import language
from ictmonitor.core.workkinds import queue_and_show
from ictmonitor.vouchers import selectors, services
from ictmonitor.vouchers.forms import (
    AllocationForm,
    ExtendWaveForm,
    GapForm,
    WaveChoiceForm,
    WaveForm,
)
from ictmonitor.vouchers.models import Request
from ictmonitor.vouchers.services.reallocation import idle_codes, waiting_requests

DEPARTMENT = (Role.ANALYST, Role.ADMIN)
PAGE_SIZE = 100
MOVES_SHOWN = 200


def _wave(request: HttpRequest, *, optional: bool = False) -> tuple[WaveChoiceForm, Any]:
    """The wave form of the page and the wave it picks (the latest when none is asked,
    unless the page can show every wave)."""
    form = WaveChoiceForm(request.GET, optional=optional)
    wave = form.cleaned_data.get("wave") if form.is_valid() else None
    if wave is None and not optional:
        wave = selectors.wave_by_code(None)
    return form, wave


@access(*DEPARTMENT)
def waves(request: HttpRequest) -> HttpResponse:
    """Every wave with its figures, a form for a new one, and one to extend a wave's codes."""
    extending = request.POST.get("action") == "extend"
    form = WaveForm(request.POST if request.method == "POST" and not extending else None)
    extend = ExtendWaveForm(request.POST if extending else None)
    if extending and extend.is_valid():
        wave, until = extend.cleaned_data["wave"], extend.cleaned_data["until"]
        try:
            count = services.extend_wave(wave, until, by=request.user)
        except services.VoucherError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("%(count)s activated codes of %(wave)s now run to "
                                        "%(day)s.") % {"count": count, "wave": wave.code,
                                                       "day": until.isoformat()})
            return redirect("vouchers:waves")
    if request.method == "POST" and not extending and form.is_valid():
        data = dict(form.cleaned_data)
        code, providers = data.pop("code"), data.pop("providers")
        try:
            services.create_wave(code, by=request.user,
                                 providers=[p.code for p in providers], **data)
        except services.VoucherError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Wave %(code)s was created.") % {"code": code})
            return redirect("vouchers:waves")
    return render(request, "vouchers/waves.html", {
        "rows": selectors.waves_overview(), "form": form, "extend": extend,
        "today": timezone.localdate()})


@access(*DEPARTMENT)
def allocation(request: HttpRequest) -> HttpResponse:
    """A wave's requests, and how many codes of each every provider issues."""
    choice, wave = _wave(request)
    providers = list(wave.providers.order_by("code")) if wave else []
    if request.method == "POST" and wave is not None:
        form = AllocationForm(request.POST, providers=providers)
        if form.is_valid():
            found = Request.objects.filter(pk=form.cleaned_data["request"], wave=wave).first()
            try:
                if found is None:
                    raise services.VoucherError(_("There is no such request in this wave."))
                services.allocate(found, form.shares(), by=request.user)
            except services.VoucherError as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("The request of %(requester)s was allocated.")
                                 % {"requester": found.requester_key})
        else:
            messages.error(request, _("Give a whole number of codes for each provider."))
        return redirect(f"{reverse('vouchers:allocation')}?wave={wave.code}")
    requests = selectors.wave_requests(wave) if wave else Request.objects.none()
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        shares = {a.provider_id: a.codes for a in item.allocations.all()}
        item.form = AllocationForm(  # type: ignore[attr-defined]
            initial={"request": item.pk, **{f"provider_{p.code}": shares.get(p.code, 0)
                                            for p in providers}}, providers=providers)
    return render(request, "vouchers/allocation.html", {
        "choice": choice, "wave": wave, "page": page, "providers": providers})


@access(*DEPARTMENT)
def gap(request: HttpRequest) -> HttpResponse:
    """Schools and other requesters with low activation, lowest first; sortable."""
    form = GapForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    wave = data.get("wave")
    sort, descending = data.get("sort") or "rate", bool(data.get("desc"))
    rows = selectors.activation_gap(wave, sort, descending, data.get("minimum") or 1)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "vouchers/gap.html", {
        "form": form, "wave": wave, "page": page, "sort": sort, "desc": descending,
    })


@access(*DEPARTMENT)
def reallocation(request: HttpRequest) -> HttpResponse:
    """What reallocating the wave's idle codes would do, and the button that does it."""
    choice, wave = _wave(request)
    if request.method == "POST" and wave is not None:  # a background job: it may be long
        return queue_and_show(request, "reallocate", {"wave": wave.code},
                              _("Reallocation of %(wave)s") % {"wave": wave.name(language())})
    today = timezone.localdate()
    moves = services.plan_reallocation(wave, today) if wave else []
    return render(request, "vouchers/reallocation.html", {
        "choice": choice, "wave": wave, "moves": moves[:MOVES_SHOWN], "count": len(moves),
        "idle": idle_codes(wave, today).count() if wave else 0,
        "waiting": waiting_requests(wave) if wave else []})


@access(*DEPARTMENT)
def timing(request: HttpRequest) -> HttpResponse:
    """Days from issue to activation per provider: median and 90th percentile."""
    choice, wave = _wave(request, optional=True)
    return render(request, "vouchers/timing.html", {
        "choice": choice, "wave": wave, "rows": selectors.activation_times(wave)})
