"""Every write of the connectivity app: requests from the configurator and their confirmation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from ictmonitor.connectivity.models import Module, ModulePrice, Offer, OfferPrice, Request
from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.recording import audit


class SolutionError(ValueError):
    """A composed solution the catalogue does not allow; the message says why."""


def monthly_cost(provider: str, offer: str, download_mbps: int,
                 modules: list[str]) -> Decimal:
    """What a line with these choices costs per month at this provider."""
    price = OfferPrice.objects.filter(provider_id=provider, offer_id=offer,
                                      download_mbps=download_mbps).first()
    if price is None:
        raise SolutionError(f"{provider} has no {offer} line of {download_mbps} Mbps")
    extras = ModulePrice.objects.filter(provider_id=provider, module_id__in=modules)
    if extras.count() != len(set(modules)):
        raise SolutionError(f"{provider} does not offer every chosen module")
    return price.monthly_eur + sum((m.monthly_eur for m in extras), Decimal("0"))


def check_solution(offer: str, modules: list[str], locations: int) -> None:
    """The catalogue's rules: modules need the managed offer, their prerequisites, enough sites."""
    if modules and not Offer.objects.get(code=offer).allows_modules:
        raise SolutionError("modules need the managed offer")
    chosen = Module.objects.filter(code__in=modules).prefetch_related("requires")
    for module in chosen:
        missing = [r.code for r in module.requires.all() if r.code not in modules]
        if missing:
            raise SolutionError(f"{module.code} needs {', '.join(missing)}")
        if locations < module.min_locations:
            raise SolutionError(f"{module.code} needs at least {module.min_locations} locations")


def mask_of(modules: list[str]) -> int:
    """The bit mask of module codes."""
    bits = dict(Module.objects.filter(code__in=modules).values_list("code", "bit"))
    return sum(set(bits.values()))


def modules_of(mask: int) -> list[str]:
    """The module codes in a bit mask, in catalogue order."""
    return [code for code, bit in Module.objects.values_list("code", "bit") if mask & bit]


@transaction.atomic
def submit_request(*, location: Any, provider: str, offer: str, download_mbps: int,
                   modules: list[str], user: Any) -> Request:
    """Send a composed solution to the provider's queue, with its monthly cost."""
    check_solution(offer, modules, location.institution.locations.count())
    cost = monthly_cost(provider, offer, download_mbps, modules)
    price = OfferPrice.objects.get(provider_id=provider, offer_id=offer,
                                   download_mbps=download_mbps)
    request = Request.objects.create(
        location=location, provider_id=provider, offer_id=offer, download_mbps=download_mbps,
        upload_mbps=price.upload_mbps, modules=mask_of(modules), monthly_eur=cost,
        submitted_by=user,
    )
    audit(user, request.submitted_at, AuditEntry.Action.CREATE, Request, str(request.pk), {
        "location": (None, f"{location.institution.number}/{location.number}"),
        "provider": (None, provider), "offer": (None, offer),
        "download_mbps": (None, download_mbps), "modules": (None, modules),
        "monthly_eur": (None, str(cost)),
    })
    return request


def confirm_requests(run: ImportRun, now: datetime) -> int:
    """Mark submitted requests confirmed where this feed wrote a line that matches them."""
    match = (
        "FROM connectivity_subscription s WHERE s.import_run_id = %s "
        "AND s.provider_id = connectivity_request.provider_id "
        "AND s.location_id = connectivity_request.location_id "
        "AND s.offer_id = connectivity_request.offer_id "
        "AND s.modules = connectivity_request.modules "
        "AND s.download_mbps = connectivity_request.download_mbps"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE connectivity_request SET status = 'confirmed', confirmed_at = %s, "
            f"line_id = (SELECT min(s.id) {match}) "
            f"WHERE status = 'submitted' AND EXISTS (SELECT 1 {match})",
            [stamp, run.pk, run.pk],
        )
        return cursor.rowcount
