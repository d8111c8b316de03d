"""The operators' admin for saved tariff scenarios; hand changes are stamped and audited."""

from __future__ import annotations

from django.contrib import admin

from ictmonitor.core.admin import RecordedAdminMixin
from ictmonitor.procurement.models import SavedScenario


@admin.register(SavedScenario)
class SavedScenarioAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Saved scenarios, by owner and name."""

    list_display = ("name", "owner", "updated_at", "changed_by")
    list_select_related = ("owner",)
    search_fields = ("name", "owner__username")
    raw_id_fields = ("owner",)
