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

from django.db import connection
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


def add_staged(stage: Stage, spans: list[tuple[int, Any, Any]] | None = None) -> int:
    """Add the stage's fresh rows to the day rollups; returns how many rollups were written.
    `spans`: each location's first and last day of the fresh rows, when the caller has read
    them already."""
    table = quote(stage.name)
    if spans is None:
        spans = list(fetch(f"SELECT location_id, min(day), max(day) FROM {table} WHERE fresh "
                           "GROUP BY location_id"))
    if not spans:
        return 0
    if not _stored_within(table, spans) and _written_exactly(table):  # days of no rollup yet
        # (a new month's file): set-based
        inserted = _insert_days(table)
        refresh_months((location_id, month) for location_id, low, high in spans
                       for month in _months_of(_day(low), _day(high)))
        return inserted
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


def _stored_within(table: str, spans: list[tuple]) -> bool:
    """Whether a location of the stage has a day rollup within the stage's days."""
    low, high = min(_day(s[1]) for s in spans), max(_day(s[2]) for s in spans)
    adapt = connection.ops.adapt_datefield_value
    return any(fetch(f"SELECT 1 FROM {quote(DailyRollup._meta.db_table)} WHERE day >= %s "
                     f"AND day <= %s AND location_id IN (SELECT location_id FROM {table} "
                     "WHERE fresh) LIMIT 1", [adapt(low), adapt(high)]))


def _written_exactly(table: str) -> bool:
    """Whether SQLite's SQL writes every speed of the stage as a number that reads back the
    same (15 significant digits: speeds are written with a few decimals; PostgreSQL writes
    each exactly)."""
    if connection.vendor == "postgresql":
        return True
    return not any(fetch(
        f"SELECT 1 FROM {table} WHERE fresh AND kind = 'speed' AND school AND path = 'primary' "
        f"AND (CAST({SQLITE_NUMBER.format('download')} AS REAL) <> download OR "
        f"CAST({SQLITE_NUMBER.format('upload')} AS REAL) <> upload) LIMIT 1"))


SQLITE_NUMBER = "printf('%!.15g', {})"


def _insert_days(table: str) -> int:
    """Write the rollups of the stage's fresh rows, none of whose days has one yet, in one
    INSERT ... SELECT: what `_combined` makes of them (the speeds as sorted JSON lists; on
    SQLite, with no ordered aggregate, a list is joined from rows read in order)."""
    names = ", ".join(["location_id", "line_id", "day", *(name for name, _ in COUNTS),
                       "download_school_hours", "upload_school_hours", "first_measured_at",
                       "last_measured_at"])
    sums = ", ".join(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {name}"
                     for name, condition in COUNTS)
    speed = "kind = 'speed' AND school AND path = 'primary'"
    key = "location_id, line_id, day"
    if connection.vendor == "postgresql":
        lists = ", ".join(f"coalesce(jsonb_agg({c} ORDER BY {c}) FILTER (WHERE {speed}), "
                          "'[]'::jsonb)" for c in ("download", "upload"))
        sql = (f"SELECT {key}, {sums}, {lists}, CAST(min(measured_at) AS timestamptz), "
               f"CAST(max(measured_at) AS timestamptz) FROM {table} WHERE fresh GROUP BY {key}")
    else:
        joins = " ".join(
            f"LEFT JOIN (SELECT {key}, '[' || group_concat({SQLITE_NUMBER.format(c)}, ',') || ']' "
            f"AS list FROM (SELECT {key}, {c} FROM {table} WHERE fresh AND {speed} "
            f"ORDER BY {key}, {c}) GROUP BY {key}) {c} ON {c}.location_id = g.location_id "
            f"AND {c}.line_id IS g.line_id AND {c}.day = g.day" for c in ("download", "upload"))
        sql = (f"SELECT g.location_id, g.line_id, g.day, "
               f"{', '.join(f'g.{name}' for name, _ in COUNTS)}, coalesce(download.list, '[]'), "
               "coalesce(upload.list, '[]'), g.first, g.last FROM (SELECT "
               f"{key}, {sums}, min(measured_at) AS first, max(measured_at) AS last FROM {table} "
               f"WHERE fresh GROUP BY {key}) g {joins}")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(DailyRollup._meta.db_table)} ({names}) {sql}")
        return cursor.rowcount


def _months_of(low: date, high: date) -> Iterable[date]:
    """The first days of the months from low's to high's."""
    month = month_start(low)
    while month <= high:
        yield month
        month = month_start(month + timedelta(days=32))


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
