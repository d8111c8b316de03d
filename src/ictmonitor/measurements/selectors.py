"""Reads of the measurements app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ictmonitor.accounts.access import Role, role_of, visible_rows
from ictmonitor.measurements import inbox, judgements
from ictmonitor.measurements.models import Alert, DailyRollup, DeviceToken
from ictmonitor.measurements.quality import (  # the measured quality, read through here
    board_quality,
    connectivity_quality,
    device_statuses,
    failover_figures,
    line_status,
    months_back,
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


# How far back the analysts' "measured" figure looks: a school measured in the last 30 days.
MEASURED_DAYS = 30


@dataclass(frozen=True)
class RecentQuality:
    """A line's newest calendar month with measurements (this month or the one before), judged
    as the school's measured-quality page judges it: the measured speed (the median school-hour
    download), whether it reaches 80 % of the contract (None: fewer than 10 tests) and its
    share of the contract."""

    line_id: int
    institution_id: int
    month: str
    measured_download: float | None
    speed_tests: int
    meets_contract: bool | None
    share_of_contract: float | None


def recent_line_quality(where: Q, today: date | None = None) -> dict[int, RecentQuality]:
    """Line id → its newest month's measured quality, for the lines `where` picks (a
    condition on rollups: `line_id__in`, `line__location__institution_id__in`,
    `provider_lines(code)`); lines not measured this month or last are left out. Read from
    the rollups' speed tests alone (the failover spells and pings the quality pages also read
    are not needed here): this month's, then last month's of the lines not measured since."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    rollups = DailyRollup.objects.filter(where, line__isnull=False)
    recent = rollups.filter(day__gte=this_month, day__lte=today)
    found = _month_quality(recent)
    earlier = rollups.filter(day__gte=months_back(today, 2), day__lt=this_month).exclude(
        line_id__in=recent.values("line_id"))
    return {**_month_quality(earlier), **found}


def _month_quality(rollups: QuerySet[DailyRollup]) -> dict[int, RecentQuality]:
    """Each line's quality over the rollups given (one month's)."""
    tallies: dict[int, tuple[str, float | None, int, judgements.Tally]] = {}
    for line_id, day, contracted, institution_id, tests, downloads in (
            rollups.order_by().values_list(
                "line_id", "day", "line__download_mbps", "line__location__institution_id",
                "speed_tests_school_hours", "download_school_hours").iterator(chunk_size=5000)):
        seen = tallies.get(line_id)
        if seen is None:
            seen = tallies[line_id] = (judgements.month_of(day), contracted, institution_id,
                                       judgements.Tally())
        seen[3].speed_tests += tests
        seen[3].downloads.extend(downloads)
    return {line_id: RecentQuality(
        line_id, institution_id, month, tally.measured_download, tally.speed_tests,
        judgements.meets_contract(tally, contracted),
        judgements.share_of_contract(tally, contracted))
        for line_id, (month, contracted, institution_id, tally) in tallies.items()}


def measured_schools(days: Sequence[date], *, within: int = MEASURED_DAYS) -> list[int]:
    """How many institutions had a speed measured in school hours in the `within` days up to
    each day (one pass over those days' rollups)."""
    rollups = DailyRollup.objects.filter(day__gt=min(days) - timedelta(days=within),
                                         day__lte=max(days), speed_tests_school_hours__gt=0)
    counts = rollups.aggregate(**{
        f"d{i}": Count("location__institution_id", distinct=True,
                       filter=Q(day__gt=day - timedelta(days=within), day__lte=day))
        for i, day in enumerate(days)})
    return [counts[f"d{i}"] for i in range(len(days))]


__all__ = ["board_quality", "connectivity_quality", "device_statuses", "failover_figures",
           "line_status", "quiet_locations", "school_quality"]


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


def waiting_measurements(location_ids: Sequence[int]) -> int:
    """How many measurements these locations' devices posted that the worker has not folded
    into the raw table and the rollups yet (inbox.py): a page says so rather than miss them."""
    return inbox.waiting(location_ids)
