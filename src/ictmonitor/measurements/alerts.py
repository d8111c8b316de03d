"""Alerts on measured lines (issue 16, item 6), raised and resolved by `refresh`:

- `below-contract`: a line judged in the last complete calendar month whose measured speed was
  below 80 % of its contract (judgements.meets_contract); resolved when the line's latest
  complete month no longer says so;
- `device-dropped`: a measuring device whose last measurement is more than 28 days old
  (Giga's "dropped"); resolved when it measures again or its tokens are revoked;
- `backup-idle`: an active line with the backup-line module, measured for six months or more,
  whose backup never carried traffic (no failover to it) in the last six months.

`refresh` is run by `ictmonitor measurement-alerts` (daily, from cron or a timer) and by the
demo; every run records one audit entry for the alerts it raised and one for those it resolved.
`selectors.raised_alerts` gives what a run raised, for the notifications to send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, Q, Sum
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit, stamp
from ictmonitor.measurements import judgements, quality
from ictmonitor.measurements.models import Alert, DailyRollup, DeviceToken, Measurement

ACTOR = "ictmonitor measurement-alerts"
BACKUP_WINDOW = timedelta(days=182)


@dataclass
class Refreshed:
    """What one refresh did: the alerts it raised, and how many it resolved."""

    raised: list[Alert] = field(default_factory=list)
    resolved: int = 0


def last_complete_month(today: date) -> quality.Period:
    """The calendar month before today's."""
    end = today.replace(day=1) - timedelta(days=1)
    return quality.Period(end.replace(day=1), end, quality.until_of(end))


def below_contract(today: date) -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, subject) → the alert's values, for lines below their contract last month."""
    period = last_complete_month(today)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in quality.line_months(period, ()).values():
        if judgements.meets_contract(entry.tally, entry.contracted) is False:
            found[(Alert.Kind.BELOW_CONTRACT, f"line:{entry.line_id}:{entry.month}")] = {
                "line_id": entry.line_id, "month": entry.month,
                "details": {"measured_mbps": round(entry.tally.measured_download or 0, 2),
                            "contracted_mbps": entry.contracted,
                            "speed_tests": entry.tally.speed_tests},
            }
    return found


def dropped_devices(today: date) -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, subject) → the alert's values, for devices silent for more than 28 days (a
    device whose every token is revoked is no longer expected to measure)."""
    until = quality.until_of(today)
    tokened = set(DeviceToken.objects.values_list("location_id", "device"))
    in_force = set(DeviceToken.objects.filter(revoked_at__isnull=True)
                   .values_list("location_id", "device"))
    lasts = (Measurement.objects.order_by().values("location_id", "device")
             .annotate(last=Max("measured_at")).values_list("location_id", "device", "last"))
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for location_id, device, last in lasts:
        if (location_id, device) in tokened and (location_id, device) not in in_force:
            continue
        if judgements.reporting_status(last, until) == judgements.DROPPED:
            found[(Alert.Kind.DEVICE_DROPPED, f"device:{location_id}:{device}")] = {
                "location_id": location_id, "device": device,
                "details": {"last_measured_at": last.isoformat(timespec="seconds")},
            }
    return found


def idle_backups(today: date) -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, subject) → the alert's values, for backup lines unused for six months."""
    bit = next((m.bit for m in quality.connectivity_selectors.modules()
                if m.code == quality.BACKUP_MODULE), 0)
    since = today - BACKUP_WINDOW
    lines = (DailyRollup.objects.filter(line__isnull=False, day__lte=today)
             .filter(Q(line__ended_on__isnull=True) | Q(line__ended_on__gte=today))
             .order_by().values("line_id", "line__modules")
             .annotate(first=Min("day"), recent=Sum("failovers", filter=Q(day__gt=since)))
             .values_list("line_id", "line__modules", "first", "recent"))
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for line_id, modules, first, recent in lines:
        if modules & bit and first <= since and not recent:
            found[(Alert.Kind.BACKUP_IDLE, f"backup:{line_id}")] = {
                "line_id": line_id, "details": {"measured_since": first.isoformat()}}
    return found


def refresh(today: date | None = None, by: Any = ACTOR) -> Refreshed:
    """Raise the alerts that hold today and are not open yet; resolve the open ones that no
    longer hold."""
    today = today or timezone.localdate()
    now = timezone.now()
    wanted = {**below_contract(today), **dropped_devices(today), **idle_backups(today)}
    done = Refreshed()
    with transaction.atomic():
        open_alerts = {(a.kind, a.subject): a
                       for a in Alert.objects.filter(resolved_at__isnull=True)}
        gone = [a.pk for key, a in open_alerts.items() if key not in wanted]
        if gone:
            done.resolved = Alert.objects.filter(pk__in=gone).update(
                resolved_at=now, **stamp(_actor(by), now))
            audit(by, now, AuditEntry.Action.UPDATE, Alert, "*",
                  {"resolved": (None, done.resolved)})
        new = {key: values for key, values in wanted.items() if key not in open_alerts}
        if new:
            done.raised = Alert.objects.bulk_create(_alerts(new, by, now))
            audit(by, now, AuditEntry.Action.CREATE, Alert, "*", {"rows": (None, len(new))})
    return done


def _alerts(new: dict[tuple[str, str], dict[str, Any]], by: Any, now: Any) -> list[Alert]:
    """The new alerts, each with its line's location and provider (a device: the provider of
    the line active at its location, if one is)."""
    line_ids = {v["line_id"] for v in new.values() if v.get("line_id")}
    lines = {line_id: (location_id, provider_id) for line_id, location_id, provider_id in
             DailyRollup.objects.filter(line_id__in=line_ids).order_by()
             .values_list("line_id", "line__location_id", "line__provider_id").distinct()}
    location_ids = {v["location_id"] for v in new.values() if v.get("location_id")}
    serving = quality.serving_lines(location_ids, now.date())
    alerts = []
    for (kind, subject), values in new.items():
        line_id = values.get("line_id")
        if line_id is not None:
            location_id, provider_id = lines[line_id]
        else:
            location_id = values["location_id"]
            line_id, provider_id = serving.get(location_id, (None, None))  # type: ignore[assignment]
        alerts.append(Alert(kind=kind, subject=subject, location_id=location_id, line_id=line_id,
                            provider_id=provider_id, device=values.get("device", ""),
                            month=values.get("month", ""), details=values["details"],
                            raised_at=now, **stamp(_actor(by), now, created=True)))
    return alerts


def _actor(by: Any) -> str:
    return by if isinstance(by, str) else by.get_username()
