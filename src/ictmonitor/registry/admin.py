"""The registry in the admin: institutions (with their locations), boards, school groups,
networks and pupil counts are corrected by hand and audited; geography and locations, which come
from reference data and the school lists, are only looked at.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.admin import RECORDED_FIELDS, ReadOnlyAdmin, RecordedAdminMixin
from ictmonitor.registry.models import (
    Board,
    Enrolment,
    Institution,
    Location,
    Municipality,
    Network,
    Province,
    SchoolGroup,
)

LOCATION_FIELDS = ("number", "name", "is_main", "street", "house_number", "box", "postcode",
                   "place", "municipality", "province")


class LocationInline(admin.TabularInline):
    """An institution's locations, as the school list gave them; shown, not edited."""

    model = Location
    fields = LOCATION_FIELDS
    readonly_fields = LOCATION_FIELDS
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Locations come from the school lists."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Locations come from the school lists."""
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Location]:
        """With the names shown beside each location."""
        return super().get_queryset(request).select_related("municipality", "province")


@admin.register(Institution)
class InstitutionAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Institutions by number or name; the province follows the main location's address."""

    list_display = ("number", "name", "level", "special", "province", "board", "country")
    list_filter = ("level", "province", "special", "country")
    search_fields = ("=number", "name")
    list_select_related = ("province", "board")
    autocomplete_fields = ("board", "school_group", "network")
    readonly_fields = ("province",)
    inlines = [LocationInline]
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("number", "name", "country", "level", "special",
                           "institution_type")}),
        (_("Belongs to"), {"fields": ("board", "school_group", "network", "province")}),
        (_("Details"), {"fields": ("guidance_centre", "company_number", "website", "language",
                                   "recognition", "starts_on", "ends_on")}),
        (_("Changes"), {"fields": RECORDED_FIELDS}),
    )

    def audit_key(self, obj: Institution) -> str:
        """The institution number, as the importers key it."""
        return obj.number


@admin.register(Location)
class LocationAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Locations, looked at (and removed if need be); the school lists keep them up to date."""

    list_display = ("__str__", "is_main", "postcode", "place", "province")
    list_filter = ("is_main", "province")
    search_fields = ("=institution__number", "name", "postcode", "place")
    list_select_related = ("institution", "province")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Locations come from the school lists."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Locations come from the school lists; the province follows from the address."""
        return False

    def audit_key(self, obj: Location) -> str:
        """institution/location, as the importers key it."""
        return f"{obj.institution.number}/{obj.number}"


@admin.register(Enrolment)
class EnrolmentAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Pupil counts per location, school year and level."""

    list_display = ("location", "school_year", "level", "pupils")
    list_filter = ("school_year", "level")
    search_fields = ("=location__institution__number",)
    list_select_related = ("location__institution",)
    autocomplete_fields = ("location",)
    show_full_result_count = False

    def audit_key(self, obj: Enrolment) -> str:
        """institution/location/year/level, as the importer keys it."""
        location = obj.location
        return f"{location.institution.number}/{location.number}/{obj.school_year}/{obj.level}"


class CodedAdmin(RecordedAdminMixin, admin.ModelAdmin):
    """Boards, school groups and networks: a code the lists give, a name one may add by hand."""

    list_display = ("code", "name", "updated_at", "changed_by")
    search_fields = ("code", "name")

    def audit_key(self, obj: Any) -> str:
        """The code."""
        return str(obj.code)


admin.site.register(Board, CodedAdmin)
admin.site.register(SchoolGroup, CodedAdmin)
admin.site.register(Network, CodedAdmin)


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    """Provinces: reference data, never typed by hand."""

    list_display = ("code", "name_nl", "name_en", "country", "refnis")
    list_filter = ("country",)
    search_fields = ("code", "name_nl", "name_en")


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    """Municipalities (REFNIS, CBS): reference data, never typed by hand."""

    list_display = ("code", "name_nl", "name_fr", "province", "valid_from", "valid_until")
    list_filter = ("province",)
    search_fields = ("=code", "name_nl", "name_fr")
    list_select_related = ("province",)
