"""The provider's home: the requests waiting in its queue, its feeds and jobs, its scorecard
(requests, lines and how they measure against their contracts) and its vouchers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from ictmonitor.connectivity import selectors as connectivity
from ictmonitor.core.translation import language
from ictmonitor.jobs import selectors as jobs
from ictmonitor.measurements import selectors as measurements
from ictmonitor.vouchers import selectors as vouchers

QUEUE_SHOWN = 10
JOBS_SHOWN = 5


@dataclass
class ProviderHome:
    """What the provider's home shows."""

    queue: list[Any]
    waiting: int
    feeds: list[tuple[str, str, Any]]
    jobs: list[Any]
    scorecard: connectivity.Scorecard
    measured_lines: int
    below_contract: int
    vouchers: list[dict[str, Any]]
    alerts: int


def provider_home(user: Any, today: date | None = None) -> ProviderHome:
    """Everything the provider's home shows, read for this user (a provider: its own rows)."""
    today = today or timezone.localdate()
    waiting = connectivity.waiting_requests(user)
    active = dict(connectivity.visible_lines(user).filter(connectivity.active_on(today))
                  .values_list("pk", "download_mbps"))
    measured = {pk: quality for pk, quality in measurements.recent_line_quality(
        measurements.provider_lines(user.provider_id or ""), today).items() if pk in active}
    below = sum(1 for quality in measured.values() if quality.meets_contract is False)
    return ProviderHome(
        queue=connectivity.describe_requests(waiting[:QUEUE_SHOWN]),
        waiting=waiting.count(),
        feeds=jobs.last_feed_jobs(user),
        jobs=recent_jobs(user),
        scorecard=connectivity.scorecard(user, today),
        measured_lines=len(measured),
        below_contract=below,
        vouchers=waves_of(user.provider_id),
        alerts=measurements.visible_alerts(user).count(),
    )


def waves_of(provider: str | None) -> list[dict[str, Any]]:
    """The provider's codes per wave, each with its wave's name (`wave_name`)."""
    rows = vouchers.provider_waves(provider) if provider else []
    names = vouchers.wave_names({row["wave__code"] for row in rows}, language())
    for row in rows:
        row["wave_name"] = names.get(row["wave__code"], row["wave__code"])
    return rows


def recent_jobs(user: Any) -> list[Any]:
    """The user's latest jobs, each with its kind's name on screen (`kind_label`)."""
    found = list(jobs.own_jobs(user)[:JOBS_SHOWN])
    for job in found:
        job.kind_label = jobs.kind_label(job.kind)  # type: ignore[attr-defined]
    return found
