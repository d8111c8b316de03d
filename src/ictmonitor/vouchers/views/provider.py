"""The providers' side: the codes the department asked them to issue, their activation, and the
feed upload (a provider may send only its own codes)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ictmonitor.accounts.access import Role, access, role_of
from ictmonitor.jobs.views import queue_from_form, upload_form
from ictmonitor.vouchers import selectors
from ictmonitor.vouchers.forms import FeedForm
from ictmonitor.vouchers.models import Allocation

PAGE_SIZE = 100


@access(Role.PROVIDER)
def provider(request: HttpRequest) -> HttpResponse:
    """The provider's allocations (what to issue, for whom) and its activation per wave."""
    code = request.user.provider_id  # type: ignore[union-attr]
    allocations: QuerySet[Allocation] | list[Allocation] = (
        selectors.provider_allocations(code) if code else [])
    page = Paginator(allocations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "vouchers/provider.html", {
        "provider": getattr(request.user, "provider", None), "page": page,
        "waves": selectors.provider_waves(code) if code else [],
        "times": selectors.activation_times(provider=code) if code else []})


@access(Role.PROVIDER, Role.ANALYST, Role.ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a voucher feed (codes issued, activated, used, extended), imported as a job; a
    provider may send only its own codes."""
    form = upload_form(request, FeedForm)
    if request.method == "POST":
        queued = queue_from_form(request, form, "vouchers")
        if queued is not None:
            return queued
    confined = request.user.provider_id if role_of(request.user) == Role.PROVIDER else None  # type: ignore[union-attr]
    return render(request, "vouchers/upload.html", {"form": form, "confined": confined})
