"""The providers' side: the codes the department asked them to issue, their activation, and the
feed upload (a provider may send only its own codes)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import access, role_of
from ictmonitor.accounts.models import Role
from ictmonitor.core.problems import ImportRefused
from ictmonitor.vouchers import selectors
from ictmonitor.vouchers.forms import FeedForm
from ictmonitor.vouchers.models import Allocation

PAGE_SIZE = 100
PROBLEMS_SHOWN = 100


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
        "times": [t for t in selectors.activation_times() if t["provider"] == code]})


@access(Role.PROVIDER, Role.ANALYST, Role.ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a voucher feed: codes issued, activated, used, extended."""
    confined = request.user.provider_id if role_of(request.user) == Role.PROVIDER else None  # type: ignore[union-attr]
    form = FeedForm(request.POST or None, request.FILES or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        if role_of(request.user) == Role.PROVIDER and not confined:
            messages.error(request, _("Your account is not linked to a provider."))
            return redirect("vouchers:upload")
        try:
            run = form.run_import(request.user, confined)
        except ImportRefused as error:
            refused = refusal(error)
        else:
            messages.success(request, _(
                "%(file)s imported: %(rows)s codes read, %(created)s new, %(updated)s changed, "
                "%(unchanged)s unchanged.") % {"file": run.file_name, "rows": run.rows,
                                               "created": run.created, "updated": run.updated,
                                               "unchanged": run.unchanged})
            return redirect("vouchers:upload")
    return render(request, "vouchers/upload.html", {
        "form": form, "refused": refused, "confined": confined})


def refusal(error: ImportRefused) -> dict[str, object]:
    """The first problems of a refused feed, in file order, and how many more there were."""
    found = error.problems
    shown = [str(p) for p in sorted(found.items, key=lambda p: (p.line, p.column))]
    shown = shown[:PROBLEMS_SHOWN]
    return {"file": found.file, "problems": shown, "hidden": found.total - len(shown)}
