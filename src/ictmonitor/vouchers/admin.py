"""The voucher ledger in the admin: waves are corrected by hand and audited; requests,
allocations and codes come from the pages and the feeds, and are only looked at here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from ictmonitor.core.admin import ReadOnlyAdmin, RecordedAdminMixin
from ictmonitor.vouchers.models import Allocation, Request, Voucher, Wave


@admin.register(Wave)
class WaveAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Waves by code, with their dates, providers and rules."""

    list_display = ("code", "name_nl", "opens_on", "closes_on", "reallocate_after_days",
                    "extension_days", "extension_use_days")
    search_fields = ("code", "name_nl", "name_en")
    filter_horizontal = ("providers",)

    def audit_key(self, obj: Any) -> str:
        """A wave is known by its code."""
        return str(obj.code)


class AllocationInline(admin.TabularInline):
    """A request's allocation across providers; made on the allocation page."""

    model = Allocation
    fields = ("provider", "codes", "updated_at", "changed_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        """Allocations are made on the department's allocation page."""
        return False


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    """Requests for codes, per wave and requester."""

    list_display = ("id", "wave", "requested_by", "institution", "municipality", "pupils",
                    "released", "status", "created_at")
    list_filter = ("wave", "requested_by", "status")
    search_fields = ("=institution__number", "=municipality__code")
    list_select_related = ("wave", "institution", "municipality")
    inlines = [AllocationInline]


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    """Codes as the feeds and the ledger left them; their history is in the audit log."""

    list_display = ("provider", "code", "wave", "requested_by", "requester_institution",
                    "requester_municipality", "issued_on", "activated_on", "extended_until")
    list_filter = ("wave", "provider", "requested_by")
    search_fields = ("=code", "=requester_institution__number", "=school__number")
    list_select_related = ("provider", "wave", "requester_institution", "requester_municipality")
    show_full_result_count = False
