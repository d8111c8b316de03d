"""Every write of the connectivity app: requests from the configurator and their confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction

from ictmonitor.connectivity.models import (
    CatalogueVersion,
    Module,
    ModulePrice,
    Offer,
    OfferPrice,
    PriceUnit,
    Request,
)
from ictmonitor.connectivity.selectors import version_in_force
from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.recording import audit


class SolutionError(ValueError):
    """A composed solution the catalogue does not allow; the message says why."""


@dataclass(frozen=True)
class QuoteItem:
    """One line of a quote: the tier or a module, how many units, and what they cost."""

    code: str
    unit: str
    count: int
    monthly_each: Decimal

    @property
    def monthly(self) -> Decimal:
        """What these units cost a month, without VAT."""
        return self.monthly_each * self.count


@dataclass(frozen=True)
class Quote:
    """What a line costs at a provider under a catalogue version: the one-off connection cost
    and the monthly fee, without VAT and with it, over the contract's term."""

    version: CatalogueVersion
    tier: OfferPrice
    items: list[QuoteItem]

    @property
    def monthly(self) -> Decimal:
        """The monthly fee without VAT."""
        return self.tier.monthly_eur + sum((i.monthly for i in self.items), Decimal("0"))

    @property
    def one_off(self) -> Decimal:
        """The one-off connection cost without VAT."""
        return self.tier.one_off_eur

    def with_vat(self, amount: Decimal) -> Decimal:
        """An amount with the version's VAT, to the cent."""
        return (amount * (1 + self.version.vat_rate)).quantize(CENT, ROUND_HALF_UP)

    @property
    def monthly_with_vat(self) -> Decimal:
        """The monthly fee with VAT."""
        return self.with_vat(self.monthly)

    @property
    def one_off_with_vat(self) -> Decimal:
        """The one-off connection cost with VAT."""
        return self.with_vat(self.one_off)

    @property
    def term_total_with_vat(self) -> Decimal:
        """The connection and every month of the contract's term, with VAT."""
        return self.with_vat(self.one_off + self.monthly * self.version.contract_months)


CENT = Decimal("0.01")


def quote(provider: str, offer: str, download_mbps: int, modules: list[str], *,
          access_points: int = 0, devices: int = 0,
          version: CatalogueVersion | None = None) -> Quote:
    """What a line with these choices costs at this provider under a catalogue version (the
    one in force today unless given); Wi-Fi is priced per access point, PC backup per device."""
    version = version or version_in_force()
    if version is None:
        raise SolutionError("the catalogue has no prices")
    tier = OfferPrice.objects.filter(version=version, provider_id=provider, offer_id=offer,
                                     download_mbps=download_mbps).first()
    if tier is None:
        raise SolutionError(f"{provider} has no {offer} line of {download_mbps} Mbps")
    extras = {p.module_id: p for p in ModulePrice.objects.filter(
        version=version, provider_id=provider, module_id__in=modules)}
    if set(extras) != set(modules):
        raise SolutionError(f"{provider} does not offer every chosen module")
    counts = {PriceUnit.LINE: 1, PriceUnit.ACCESS_POINT: access_points,
              PriceUnit.DEVICE: devices}
    items = []
    for code in modules:
        price = extras[code]
        if counts[PriceUnit(price.unit)] < 1:
            raise SolutionError(f"{code} is priced {price.unit}: give how many")
        items.append(QuoteItem(code, price.unit, counts[PriceUnit(price.unit)],
                               price.monthly_eur))
    return Quote(version, tier, items)


def monthly_cost(provider: str, offer: str, download_mbps: int, modules: list[str], *,
                 access_points: int = 0, devices: int = 0) -> Decimal:
    """What a line with these choices costs per month at this provider, without VAT."""
    return quote(provider, offer, download_mbps, modules, access_points=access_points,
                 devices=devices).monthly


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
                   modules: list[str], user: Any, access_points: int = 0,
                   devices: int = 0) -> Request:
    """Send a composed solution to the provider's queue, with its one-off and monthly cost
    (without VAT) under the catalogue version in force."""
    check_solution(offer, modules, location.institution.locations.count())
    quoted = quote(provider, offer, download_mbps, modules, access_points=access_points,
                   devices=devices)
    request = Request.objects.create(
        location=location, provider_id=provider, offer_id=offer, download_mbps=download_mbps,
        upload_mbps=quoted.tier.upload_mbps, modules=mask_of(modules),
        monthly_eur=quoted.monthly, one_off_eur=quoted.one_off, access_points=access_points,
        devices=devices, catalogue_version=quoted.version, submitted_by=user,
    )
    audit(user, request.submitted_at, AuditEntry.Action.CREATE, Request, str(request.pk), {
        "location": (None, f"{location.institution.number}/{location.number}"),
        "provider": (None, provider), "offer": (None, offer),
        "download_mbps": (None, download_mbps), "modules": (None, modules),
        "access_points": (None, access_points), "devices": (None, devices),
        "catalogue_version": (None, quoted.version.code),
        "monthly_eur": (None, str(quoted.monthly)), "one_off_eur": (None, str(quoted.one_off)),
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


def version_on(line: str) -> str:
    """SQL for the catalogue version a line (the table or alias `line`, with `requested_on`
    and `started_on`) is priced under: the one in force on the day it was requested (else
    started), the earliest for a line older than every version or without a date."""
    versions = "connectivity_catalogueversion"
    day = f"COALESCE({line}.requested_on, {line}.started_on)"
    return (f"COALESCE((SELECT v.code FROM {versions} v WHERE v.valid_from <= {day} "
            f"ORDER BY v.valid_from DESC LIMIT 1), "
            f"(SELECT v.code FROM {versions} v ORDER BY v.valid_from LIMIT 1))")


def date_prices(run: ImportRun, staged: str) -> int:
    """Give each line this import wrote that has no catalogue version the one in force on its
    day (`version_on`): a line keeps the version it was priced under. A feed's new lines get
    theirs as they are inserted; this prices the lines it changed that never had one.

    Only the lines of `staged` (the staging table just merged, keyed by provider and
    contract_id): a file merged in slices prices each slice's lines, not every line the run
    wrote so far again (which grew with every slice)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE connectivity_subscription SET catalogue_version_id = "
            f"{version_on('connectivity_subscription')} "
            f"WHERE id IN (SELECT t.id FROM {connection.ops.quote_name(staged)} s "
            f"JOIN connectivity_subscription t ON t.provider_id = s.provider "
            f"AND t.contract_id = s.contract_id "
            f"WHERE t.import_run_id = %s AND t.catalogue_version_id IS NULL)",
            [run.pk],
        )
        return cursor.rowcount
