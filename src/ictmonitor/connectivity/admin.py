"""Connectivity in the admin: internet providers."""

from __future__ import annotations

from django.contrib import admin

from ictmonitor.connectivity.models import Provider


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    """Internet providers, by code; users are linked to one in the user admin."""

    list_display = ("code", "name")
    search_fields = ("code", "name")
