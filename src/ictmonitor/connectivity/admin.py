"""Connectivity in the admin: providers, the catalogue (offers, modules, prices) corrected by hand
and audited, the lines as the feeds wrote them (read-only), and requests (status only).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ictmonitor.connectivity.models import (
    CatalogueVersion,
    Module,
    ModulePrice,
    Offer,
    OfferPrice,
    Provider,
    Request,
    Subscription,
)
from ictmonitor.connectivity.services import modules_of
from ictmonitor.core.admin import ReadOnlyAdmin, RecordedAdminMixin


@admin.register(Provider)
class ProviderAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Internet providers, by code; users are linked to one in the user admin."""

    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Offer)
class OfferAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Offers: internet only, managed (with modules)."""

    list_display = ("code", "name_nl", "name_en", "allows_modules", "position")
    search_fields = ("code", "name_nl", "name_en")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        """Feeds name offers by code: it never changes."""
        return ("code",) if obj is not None else ()


@admin.register(Module)
class ModuleAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Modules: what each does, the risk it covers, what it needs."""

    list_display = ("code", "name_nl", "name_en", "bit", "min_locations", "position")
    search_fields = ("code", "name_nl", "name_en")
    filter_horizontal = ("requires",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        """Lines store modules as bits: a module's code and bit never change."""
        return ("code", "bit") if obj is not None else ()


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Catalogue versions, each dated by its framework contract, with VAT and contract term."""

    list_display = ("code", "name_nl", "valid_from", "valid_until", "vat_rate",
                    "contract_months", "estimate")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        """Lines keep their version by code: it never changes."""
        return ("code",) if obj is not None else ()


@admin.register(OfferPrice)
class OfferPriceAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Each provider's prices per catalogue version, offer and bandwidth, without VAT."""

    list_display = ("version", "provider", "offer", "download_mbps", "upload_mbps",
                    "monthly_eur", "one_off_eur")
    list_filter = ("version", "provider", "offer")
    list_select_related = ("version", "provider", "offer")


@admin.register(ModulePrice)
class ModulePriceAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Each provider's monthly price per module and catalogue version, per its unit."""

    list_display = ("version", "provider", "module", "monthly_eur", "unit")
    list_filter = ("version", "provider")
    list_select_related = ("version", "provider", "module")


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    """Lines as the providers' feeds last described them; a feed changes them, not a person."""

    list_display = ("provider", "contract_id", "location", "offer", "download_mbps",
                    "upload_mbps", "module_codes", "started_on", "ended_on")
    list_filter = ("provider", "offer")
    search_fields = ("=contract_id", "=location__institution__number")
    list_select_related = ("provider", "offer", "location__institution")
    show_full_result_count = False

    @admin.display(description=_("modules"))
    def module_codes(self, obj: Subscription) -> str:
        """The line's modules by code."""
        return ", ".join(modules_of(obj.modules)) or "—"


@admin.register(Request)
class RequestAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Requests from the configurator; an operator may only change a status (withdraw one)."""

    list_display = ("pk", "submitted_at", "provider", "location", "offer", "download_mbps",
                    "monthly_eur", "status", "line")
    list_filter = ("status", "provider")
    search_fields = ("=location__institution__number",)
    list_select_related = ("provider", "offer", "location__institution", "line")
    readonly_fields = ("location", "provider", "offer", "download_mbps", "upload_mbps",
                       "modules", "monthly_eur", "submitted_at", "submitted_by",
                       "confirmed_at", "line")

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Requests come from the configurator."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A request is withdrawn, never erased."""
        return False
