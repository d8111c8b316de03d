"""Reads of the measurements app."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from ictmonitor.accounts.access import role_of
from ictmonitor.accounts.models import Role
from ictmonitor.measurements.models import DeviceToken
from ictmonitor.registry.models import Institution, Location


def device_locations(user: Any, institution: Institution) -> QuerySet[Location]:
    """The institution's locations whose measuring devices this user manages, each with its
    tokens (`tokens`, newest first): a provider those its own lines serve, anyone else all."""
    locations = Location.objects.filter(institution=institution)
    if role_of(user) == Role.PROVIDER:
        locations = locations.filter(lines__provider_id=user.provider_id).distinct()
    tokens = DeviceToken.objects.order_by("revoked_at", "device", "-created_at")
    return locations.order_by("number").prefetch_related(
        Prefetch("device_tokens", queryset=tokens, to_attr="tokens"))
