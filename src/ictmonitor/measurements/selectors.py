"""Reads of the measurements app."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from ictmonitor.accounts.access import Role, role_of, visible_rows
from ictmonitor.measurements.models import Alert, DeviceToken
from ictmonitor.measurements.quality import (  # the measured quality, read through here
    connectivity_quality,
    device_statuses,
    failover_figures,
    line_status,
    quiet_locations,
    school_quality,
)
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


__all__ = ["connectivity_quality", "device_statuses", "failover_figures", "line_status",
           "quiet_locations", "school_quality"]


def visible_alerts(user: Any, *, resolved: bool = False) -> QuerySet[Alert]:
    """The measurement alerts this user may see, open ones (or resolved ones), newest first:
    a school's people those of their schools, a provider those of its lines, the department
    every one."""
    alerts = Alert.objects.filter(resolved_at__isnull=not resolved).select_related(
        "location__institution", "line", "provider")
    return visible_rows(user, alerts, "location__institution")


def raised_alerts(since: Any) -> QuerySet[Alert]:
    """The alerts raised at or after a moment that are still open, oldest first, for the
    notifications to send: each names its school (`location.institution`) and, when a line is
    known, its provider (`provider_id`), the two it is for."""
    return (Alert.objects.filter(raised_at__gte=since, resolved_at__isnull=True)
            .select_related("location__institution", "line", "provider")
            .order_by("raised_at", "pk"))


def provider_lines(provider: str) -> Q:
    """The condition on rollups and measurements of one provider's lines."""
    return Q(line__provider_id=provider)
