"""The connectivity API: providers send their feed, everyone reads the lines they may see and the
catalogue (offers, modules with what they do and the risk they cover, prices).
"""

# No `from __future__ import annotations`: ninja reads the Query/File types at import time.
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ictmonitor.accounts.access import Role, role_of
from ictmonitor.api.auth import auth_user
from ictmonitor.api.common import (
    CODE,
    NO_NUL,
    IsoDate,
    Pagination,
    errors,
)
from ictmonitor.connectivity import selectors
from ictmonitor.connectivity.models import Module, Offer, Provider, Subscription
from ictmonitor.jobs.api import QUEUED, queued_response

router = Router(tags=["connectivity"])


class LineFilters(Schema):
    """Filters of the line list; all optional, combined with AND."""

    school: str | None = Field(None, max_length=20, pattern=NO_NUL,
                               description="Institution number of the line's school.")
    provider: str | None = Field(None, max_length=40, pattern=CODE,
                                 description="Provider code, e.g. `telenet`.")
    active_on: IsoDate | None = Field(None, description="Only lines active on this date "
                                      "(YYYY-MM-DD).")


class LineOut(Schema):
    """A line as its provider's feed last described it."""

    provider: str = Field(description="Provider code.")
    contract_id: str = Field(description="The provider's own id for the line.")
    school: str = Field(description="Institution number.")
    location: str = Field(description="Location number within the institution.")
    offer: str = Field(description="`internet-only` or `managed`.")
    download_mbps: int = Field(ge=0)
    upload_mbps: int = Field(ge=0)
    modules: list[str] = Field(description="Module codes, in catalogue order.")
    requested_on: date | None
    started_on: date | None
    ended_on: date | None

    @staticmethod
    def resolve_provider(obj: Subscription) -> str:
        """The provider's code."""
        return obj.provider_id

    @staticmethod
    def resolve_school(obj: Subscription) -> str:
        """The institution's number."""
        return obj.location.institution.number

    @staticmethod
    def resolve_location(obj: Subscription) -> str:
        """The location's number."""
        return obj.location.number

    @staticmethod
    def resolve_offer(obj: Subscription) -> str:
        """The offer's code."""
        return obj.offer_id

    @staticmethod
    def resolve_modules(obj: Subscription, context: dict[str, Any]) -> list[str]:
        """The codes of the line's modules; the catalogue is read once per request."""
        request = context["request"]
        if not hasattr(request, "module_bits"):
            request.module_bits = list(Module.objects.values_list("code", "bit"))
        return [code for code, bit in request.module_bits if obj.modules & bit]


class Translated(Schema):
    """A text in Dutch and English."""

    nl: str
    en: str


class OfferOut(Schema):
    """An offer: internet only, or managed with modules."""

    code: str
    name: Translated
    description: Translated
    allows_modules: bool = Field(description="Whether a line with this offer may carry modules.")


class ModuleOut(Schema):
    """A module: what it does, the risk it covers, what it needs."""

    code: str
    name: Translated
    does: Translated
    risk: Translated
    requires: list[str] = Field(description="Modules it needs on the same line.")
    min_locations: int = Field(ge=1, description="Locations the school needs for it.")


class TierOut(Schema):
    """A provider's monthly price for an offer at a bandwidth."""

    offer: str
    download_mbps: int = Field(ge=0)
    upload_mbps: int = Field(ge=0)
    monthly_eur: Decimal = Field(description="Euro a month without VAT, two decimals.")
    one_off_eur: Decimal = Field(description="The one-off connection cost in euro without VAT.")


class ModulePriceOut(Schema):
    """A provider's monthly price for a module: per line, access point or device."""

    module: str
    monthly_eur: Decimal = Field(description="Euro a month without VAT, two decimals.")
    per: str = Field(description="`line`, `access-point` or `device`.")


class CatalogueVersionOut(Schema):
    """The catalogue version the prices are of: the one in force today."""

    code: str
    valid_from: date
    valid_until: date | None
    vat_rate: Decimal = Field(description="VAT on every price, as a fraction (0.21).")
    contract_months: int
    estimate: bool = Field(description="Whether the prices are estimates, not the tariff.")


class ProviderPricesOut(Schema):
    """One provider's prices."""

    provider: str = Field(description="Provider code.")
    name: str
    offers: list[TierOut]
    modules: list[ModulePriceOut]


class ConnectivityCatalogueOut(Schema):
    """Offers, modules and prices: what a school can compose and what it costs."""

    offers: list[OfferOut]
    modules: list[ModuleOut]
    version: CatalogueVersionOut | None
    prices: list[ProviderPricesOut] = Field(
        description="A provider sees its own prices; everyone else sees every provider's.")


@router.post(
    "/connectivity/feeds",
    response=QUEUED,
    summary="Send a subscription feed",
    operation_id="send_subscription_feed",
)
def send_feed(request: HttpRequest, response: HttpResponse, file: File[UploadedFile]) -> Any:
    """Queue a feed (contracts/subscriptions.md) as a job: 202 with the job and its address
    (also in `Location`). Poll the job: it is imported whole or refused whole, its result lists
    each problem. A provider's token may send only its own lines; sending the same feed twice
    changes nothing."""
    return queued_response(request, response, file, "subscriptions")


@router.get(
    "/connectivity/lines",
    response={200: list[LineOut], **errors()},
    summary="List lines",
    operation_id="list_lines",
)
@paginate(Pagination)
def list_lines(request: HttpRequest, filters: Query[LineFilters]) -> QuerySet[Subscription]:
    """The lines you may see: a provider its own, a school or board theirs, the department all."""
    return selectors.listed_lines(auth_user(request), school=filters.school,
                                  provider=filters.provider, active_on_day=filters.active_on)


@router.get(
    "/connectivity/catalogue",
    response={200: ConnectivityCatalogueOut, **errors()},
    summary="The catalogue",
    operation_id="get_catalogue",
)
def get_catalogue(request: HttpRequest) -> dict[str, Any]:
    """Offers, modules (what each does and the risk it covers, in Dutch and English) and prices."""
    user = auth_user(request)
    catalogue = selectors.modules()
    if role_of(user) == Role.PROVIDER:
        shown = Provider.objects.filter(code=user.provider_id or "")
        prices = selectors.Prices(user.provider_id or "")
    else:
        shown, prices = Provider.objects.all(), selectors.Prices()
    return {
        "offers": [{"code": o.code, "name": _text(o, "name"),
                    "description": _text(o, "description"), "allows_modules": o.allows_modules}
                   for o in Offer.objects.all()],
        "modules": [{"code": m.code, "name": _text(m, "name"), "does": _text(m, "does"),
                     "risk": _text(m, "risk"), "requires": [r.code for r in m.requires.all()],
                     "min_locations": m.min_locations} for m in catalogue],
        "version": prices.version,
        "prices": [_prices(p, prices, catalogue) for p in shown.order_by("name")],
    }


def _text(obj: Any, name: str) -> dict[str, str]:
    return {"nl": getattr(obj, f"{name}_nl"), "en": getattr(obj, f"{name}_en")}


def _prices(provider: Provider, prices: selectors.Prices,
            catalogue: list[Module]) -> dict[str, Any]:
    tiers = sorted((t for t in prices.tiers if t.provider_id == provider.code),
                   key=lambda t: (t.offer.position, t.download_mbps))
    extras = [(m.code, prices.module(provider.code, m.code)) for m in catalogue]
    return {
        "provider": provider.code, "name": provider.name,
        "offers": [{"offer": t.offer_id, "download_mbps": t.download_mbps,
                    "upload_mbps": t.upload_mbps, "monthly_eur": t.monthly_eur,
                    "one_off_eur": t.one_off_eur} for t in tiers],
        "modules": [{"module": code, "monthly_eur": eur, "per": prices.unit(provider.code, code)}
                    for code, eur in extras if eur is not None],
    }
