"""Day rollups updated by what a file adds, set-based (and what the agents' posts add: the
fold stages them the same way, inbox.py), and the month rollups made from them
(`refresh_months`, called by both).

The staged rows an import adds (`fresh`, not stored before) are counted per location, line and
day in one query, their school-hour primary speeds read in another; each existing rollup of
those days gets them added (counts summed, speeds merged and kept sorted, first and last
measurement widened) and new days get a rollup of their own. The result is what rebuilding the
day from every raw row would give (tests/measurements/test_rollups_equal_raw.py).
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Aggregate, Max, Min, Sum, TextField

from ictmonitor.core.bulk import Stage, fetch, quote
from ictmonitor.measurements.models import DailyRollup, MonthlyRollup
from ictmonitor.measurements.partitioning import parse_moment

COUNTS = (
    ("speed_tests", "kind = 'speed'"),
    ("speed_tests_school_hours", "kind = 'speed' AND school AND path = 'primary'"),
    ("pings", "kind = 'ping'"),
    ("pings_reachable", "kind = 'ping' AND reachable"),
    ("pings_school_hours", "kind = 'ping' AND school"),
    ("pings_reachable_school_hours", "kind = 'ping' AND school AND reachable"),
    ("failovers", "kind = 'failover' AND path = 'backup'"),
    ("returns", "kind = 'failover' AND path = 'primary'"),
)
Key = tuple[int, int | None, date]
CHUNK = 500


def add_staged(stage: Stage) -> int:
    """Add the stage's fresh rows to the day rollups; returns how many rollups were written."""
    table = quote(stage.name)
    sums = ", ".join(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)" for _, condition in COUNTS)
    added: dict[Key, dict[str, Any]] = {}
    for location_id, line_id, day, *numbers, first, last in fetch(
            f"SELECT location_id, line_id, day, {sums}, min(measured_at), max(measured_at) "
            f"FROM {table} WHERE fresh GROUP BY location_id, line_id, day"):
        values: dict[str, Any] = {name: int(n) for (name, _), n in zip(COUNTS, numbers,
                                                                        strict=True)}
        values.update(first_measured_at=parse_moment(first), last_measured_at=parse_moment(last),
                      download_school_hours=[], upload_school_hours=[])
        added[(location_id, line_id, _day(day))] = values
    if not added:
        return 0
    for location_id, line_id, day, download, upload in fetch(
            f"SELECT location_id, line_id, day, download, upload FROM {table} "
            "WHERE fresh AND kind = 'speed' AND school AND path = 'primary'"):
        values = added[(location_id, line_id, _day(day))]
        values["download_school_hours"].append(download)
        values["upload_school_hours"].append(upload)
    existing = _existing(added)
    stale = [r.pk for r in existing.values()]
    for start in range(0, len(stale), CHUNK):  # within the databases' limits on parameters
        DailyRollup.objects.filter(pk__in=stale[start:start + CHUNK]).delete()
    written = []
    for key, values in added.items():
        old = existing.get(key)
        written.append(_combined(key, values, old))
    DailyRollup.objects.bulk_create(written, batch_size=2000)
    refresh_months((location_id, day) for location_id, _line, day in added)
    return len(written)


def _existing(added: dict[Key, dict[str, Any]]) -> dict[Key, DailyRollup]:
    """The stored rollups of the added keys (by location, within the days added)."""
    by_location: dict[int, set[date]] = defaultdict(set)
    for location_id, _line, day in added:
        by_location[location_id].add(day)
    locations = sorted(by_location)
    days = [day for found in by_location.values() for day in found]
    low, high = min(days), max(days)
    found: dict[Key, DailyRollup] = {}
    for start in range(0, len(locations), CHUNK):
        rows = DailyRollup.objects.filter(location_id__in=locations[start:start + CHUNK],
                                          day__gte=low, day__lte=high)
        for rollup in rows:
            key = (rollup.location_id, rollup.line_id, rollup.day)
            if key in added:
                found[key] = rollup
    return found


def _combined(key: Key, values: dict[str, Any], old: DailyRollup | None) -> DailyRollup:
    location_id, line_id, day = key
    rollup = DailyRollup(location_id=location_id, line_id=line_id, day=day)
    for name, _ in COUNTS:
        setattr(rollup, name, values[name] + (getattr(old, name) if old else 0))
    downloads, uploads = values["download_school_hours"], values["upload_school_hours"]
    first, last = values["first_measured_at"], values["last_measured_at"]
    if old is not None:
        downloads = downloads + list(old.download_school_hours)
        uploads = uploads + list(old.upload_school_hours)
        first, last = min(first, old.first_measured_at), max(last, old.last_measured_at)
    rollup.download_school_hours = sorted(downloads)
    rollup.upload_school_hours = sorted(uploads)
    rollup.first_measured_at, rollup.last_measured_at = first, last
    return rollup


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


MONTH_SUMS = ("speed_tests", "speed_tests_school_hours", "pings", "pings_reachable",
              "pings_school_hours", "pings_reachable_school_hours", "failovers", "returns")


def month_start(day: date) -> date:
    """The first day of a day's calendar month."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of a day's calendar month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def refresh_months(places: Iterable[tuple[int, date]], *, days_model: Any = DailyRollup,
                   months_model: Any = MonthlyRollup) -> int:
    """Rebuild the month rollups of these (location, any day of the month) from their day
    rollups (every line of the location that month); returns how many were written. (The
    models are the migration's own when it builds the months of the day rollups before it.)"""
    by_month: dict[date, set[int]] = defaultdict(set)
    for location_id, day in places:
        by_month[month_start(day)].add(location_id)
    written = 0
    for month, found in sorted(by_month.items()):
        locations = sorted(found)
        for start in range(0, len(locations), CHUNK):
            chunk = locations[start:start + CHUNK]
            months_model.objects.filter(location_id__in=chunk, month=month).delete()
            days = (days_model.objects.filter(location_id__in=chunk, day__gte=month,
                                              day__lte=month_end(month))
                    .order_by().values("location_id", "line_id")
                    .annotate(**{name: Sum(name) for name in MONTH_SUMS},
                              first=Min("first_measured_at"), last=Max("last_measured_at"),
                              downloads=JoinedLists("download_school_hours"),
                              uploads=JoinedLists("upload_school_hours")))
            months = [_month(months_model, month, values) for values in days]
            months_model.objects.bulk_create(months, batch_size=2000)
            written += len(months)
    return written


def _month(model: Any, month: date, values: dict[str, Any]) -> MonthlyRollup:
    """The month rollup of one location and line from its days added up by the database."""
    downloads, uploads = joined(values["downloads"]), joined(values["uploads"])
    return model(location_id=values["location_id"], line_id=values["line_id"], month=month,
                 **{name: int(values[name] or 0) for name in MONTH_SUMS},
                 measured_download=statistics.median(downloads) if downloads else None,
                 measured_upload=statistics.median(uploads) if uploads else None,
                 first_measured_at=values["first"], last_measured_at=values["last"])


class JoinedLists(Aggregate):
    """A group's JSON lists joined into one text, `[1, 2],[3]`, read as one JSON document:
    a line's month of speeds comes back as one text, not one JSON value per day."""

    function = "string_agg"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="group_concat",
                              template="%(function)s(%(expressions)s, ',')", **extra)


def joined(text: str | None) -> list[float]:
    """The values of JoinedLists' text, in one list."""
    return list(itertools.chain.from_iterable(json.loads(f"[{text}]"))) if text else []
