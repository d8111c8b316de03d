"""The demo's line measurements (issue 16, item 8): a measuring device at a share of the schools
with an active line, for the last DAYS days: four speed tests and four pings a day, and
failovers on backup lines. Most lines meet their contract; a few are slow; one provider's lines
sag in the evening; a few devices go quiet; backup lines fail over a handful of times, a few
never. Then the alerts are raised as the daily command would.

Rows are written straight to the tables in bulk (as an agent's batch would store them, without
a token: like a provider's file) with their day rollups built by the ingest's own rollup.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ictmonitor.connectivity.models import Module, Subscription
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit
from ictmonitor.demo.users import demo_board, demo_school
from ictmonitor.measurements import alerts, ingest, partitioning, rollups, schoolhours
from ictmonitor.measurements.models import DailyRollup, Kind, Measurement, Path

DAYS = 75
SHARE = 0.12  # of the lines active today
BACKUP_SHARE = 0.6  # of those with the backup-line module: enough failovers (and lines without)
MOST_LINES = 250
SPEED_HOURS = (9, 11, 14, 20)  # the last one in the evening, outside school hours
PING_HOURS = (8, 12, 16, 22)
DEVICE = "demo-pi"
ACTOR = "demo (ictmonitor demo)"


def load_measurements(seed: int, today: date | None = None) -> str:
    """Write the measurements and rollups, raise the alerts; a line saying what was loaded."""
    # (the demo's users are made later, for these same schools)
    today = today or timezone.localdate()
    if Measurement.objects.filter(device=DEVICE).exists():  # loaded by an earlier run
        raised = alerts.refresh(today, ACTOR)
        return f"Measurements: loaded already; {len(raised.raised):,} alerts raised"
    rng = random.Random(seed + 16)
    backup = Module.objects.filter(code=ingest.BACKUP_MODULE).values_list("bit", flat=True)
    bit = next(iter(backup), 0)
    active = (Subscription.objects.filter(started_on__lte=today - timedelta(days=DAYS))
              .filter(ended_on__isnull=True).select_related("location").order_by("pk"))
    # the demo coordinator's school and the demo board's schools are measured: their pages show it
    school, board = demo_school(), demo_board()
    shown = {school.pk} if school else set()
    if board is not None:
        shown |= set(board.institution_set.values_list("pk", flat=True))
    own, sampled = [], []
    for line in active.iterator():
        drawn = rng.random() < (BACKUP_SHARE if line.modules & bit else SHARE)
        if line.location.institution_id in shown:
            own.append(line)
        elif drawn:
            sampled.append(line)
    lines = (own + sampled)[:MOST_LINES]
    sagging = sorted({line.provider_id for line in lines})[:1]
    now = timezone.now()
    rows: list[Measurement] = []
    for line in lines:
        rows += _line_rows(rng, line, today, now, evening_sag=line.provider_id in sagging,
                           backup=bool(line.modules & bit))
    with transaction.atomic():
        partitioning.ensure_for(r.measured_at for r in rows)  # their months' partitions first
        Measurement.objects.bulk_create(rows, batch_size=2000)
        days = DailyRollup.objects.bulk_create(_rollups(rows), batch_size=2000)
        rollups.refresh_months((r.location_id, r.day) for r in days)
        audit(ACTOR, now, AuditEntry.Action.CREATE, Measurement, "*", {"rows": (None, len(rows))})
    raised = alerts.refresh(today, ACTOR)
    return (f"Measurements: {len(rows):,} rows of {len(lines):,} lines over {DAYS} days; "
            f"{len(raised.raised):,} alerts raised")


def _line_rows(rng: random.Random, line: Any, today: date, now: datetime, *,
               evening_sag: bool, backup: bool) -> list[Measurement]:
    """One line's measurements: its quality drawn once, then day by day."""
    draw = rng.random()
    level = 0.65 if draw < 0.1 else rng.uniform(0.85, 1.02)  # a tenth of the lines are slow
    quiet_from = today - timedelta(days=rng.randint(22, 40)) if rng.random() < 0.06 else None
    failover_days = set() if not backup or rng.random() < 0.25 else {
        today - timedelta(days=rng.randint(1, DAYS - 1)) for _ in range(rng.randint(1, 4))}
    zone = schoolhours.zone()
    found = []

    def row(moment: datetime, kind: str, path: str = Path.PRIMARY, **values: Any) -> None:
        found.append(Measurement(location_id=line.location_id, device=DEVICE,
                                 measured_at=moment, kind=kind, path=path, line=line,
                                 received_at=now, **values))

    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)
        if quiet_from is not None and day >= quiet_from:
            break
        for hour in SPEED_HOURS:
            factor = level * (0.45 if evening_sag and hour >= 18 else 1) * rng.gauss(1, 0.06)
            row(datetime.combine(day, time(hour, rng.randint(0, 9)), zone), Kind.SPEED,
                download_mbps=round(max(line.download_mbps * factor, 0.5), 1),
                upload_mbps=round(max(line.upload_mbps * factor, 0.2), 1),
                latency_ms=round(rng.uniform(4, 25), 1), jitter_ms=round(rng.uniform(0.2, 4), 1))
        for hour in PING_HOURS:
            row(datetime.combine(day, time(hour, 30), zone), Kind.PING,
                reachable=rng.random() > 0.01, latency_ms=round(rng.uniform(3, 20), 1))
        if day in failover_days:
            start = datetime.combine(day, time(10, rng.randint(0, 59)), zone)
            row(start, Kind.FAILOVER, Path.BACKUP)
            row(start + timedelta(minutes=rng.randint(5, 150)), Kind.FAILOVER, Path.PRIMARY)
    return found


def _rollups(rows: list[Measurement]) -> list[DailyRollup]:
    """Each (line, day)'s rollup, built as the ingest builds one from the raw rows."""
    groups: dict[tuple[int, int | None, date], list[tuple[Any, ...]]] = defaultdict(list)
    for r in rows:
        groups[(r.location_id, r.line_id, schoolhours.local_day(r.measured_at))].append(
            (r.line_id, r.measured_at, r.kind, r.path, r.download_mbps, r.upload_mbps,
             r.reachable))
    return [ingest._rollup(location_id, line_id, day, found)  # noqa: SLF001 (the one rule)
            for (location_id, line_id, day), found in groups.items()]
