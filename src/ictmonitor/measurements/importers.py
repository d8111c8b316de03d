"""Measurement files (contracts/measurements.md) on the shared import pipeline.

A provider or an integrator delivers what agents measured as a file with the same fields the
agents post. Every row is checked as the agents' items are (ingest.py's rules: a time with its
offset, the values each kind requires and no others, a backup path only on a line with the
backup-line module), and a file with any problem is refused whole, naming file, line and column.

Rows whose key (location + device + measured_at + kind) is stored already change nothing, as an
agent's resend does; a key repeated in the file is taken once if the rows are equal and refused
if they differ. The rows go in with one `INSERT … SELECT`, and the day rollups of the rows
actually added are updated in the same transaction (rollups.py). On PostgreSQL the months the
file covers get their partitions first (partitioning.py).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ictmonitor.core import cells
from ictmonitor.core.bulk import (
    BIGINT,
    BOOL,
    DATE,
    FLOAT,
    TEXT,
    Counts,
    Stage,
    fetch,
    quote,
    repeated_keys,
    vendor,
)
from ictmonitor.core.csvfiles import Column, Header
from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.pipeline import Contract, Field, Progress, Row, RowReader, run_import
from ictmonitor.core.problems import ImportRefused, ProblemList, either
from ictmonitor.core.recording import audit
from ictmonitor.measurements import partitioning, rollups, schoolhours
from ictmonitor.measurements.ingest import (
    BACKUP_MODULE,
    EARLIEST,
    FUTURE_SLACK,
    ItemRefused,
    measured_at,
)
from ictmonitor.measurements.models import MAX_DEVICES_PER_LOCATION, Kind, Measurement
from ictmonitor.measurements.models import Path as LinePath
from ictmonitor.measurements.quickrows import quick_reader

REQUIRED = ("schoolnummer", "device", "measured_at", "kind", "path")
OPTIONAL = ("intern_vplnummer", "download_mbps", "upload_mbps", "latency_ms", "jitter_ms",
            "loss_pct", "reachable")
COLUMNS = ("schoolnummer", "intern_vplnummer", "device", "measured_at", "kind", "path",
           "download_mbps", "upload_mbps", "latency_ms", "jitter_ms", "loss_pct", "reachable")
DEVICE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
# A device counts at its location while it reports: measured up to 28 days (Giga's "dropped")
# before the file's first measurement, or holding a token in force.
DEVICE_REPORTING_DAYS = 28
KEY = ("location_id", "device", "measured_at", "kind")
VALUES = ("path", "download", "upload", "latency", "jitter", "loss", "reachable")


def _device(value: str) -> str:
    if not value:
        raise cells.CellError(_("is empty; the device's id is required"))
    if len(value) > 40:
        raise cells.CellError(_("is %(length)s characters long; at most %(most)s fit"),
                              length=len(value), most=40)
    if not set(value) <= DEVICE_CHARACTERS:
        raise cells.CellError(_("%(value)r may hold only letters, digits, - and _"), value=value)
    return value


def _decimal(value: str) -> float | None:
    """A decimal ≥ 0 written with a point, or None for an empty cell."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise cells.CellError(_("%(value)r is not a number; write decimals with a point")
                              if "," in value else _("%(value)r is not a number"),
                              value=value) from None
    if not math.isfinite(number) or value.lower().lstrip("+-").startswith(("inf", "nan")):
        raise cells.CellError(_("%(value)r is not a number"), value=value)
    if number < 0:
        raise cells.CellError(_("%(value)r is negative"), value=value)
    return number


def _percentage(value: str) -> float | None:
    number = _decimal(value)
    if number is not None and number > 100:
        raise cells.CellError(_("%(value)r is outside 0–100"), value=value)
    return number


def _reachable(value: str) -> bool | None:
    if not value:
        return None
    if value == "1":
        return True
    if value == "0":
        return False
    raise cells.CellError(_("%(value)r is not 1 or 0"), value=value)


def _choice(choices: Any) -> Any:
    allowed = list(choices.values)

    def parse(value: str) -> str:
        if value not in allowed:
            raise cells.CellError(_("%(value)r is not %(allowed)s"), value=value,
                                  allowed=either(allowed))
        return value
    return parse


HOUR = timedelta(hours=1)
MINUTES_SECONDS = frozenset(f"{m:02d}:{s:02d}" for m in range(60) for s in range(60))
HOURS_KEPT = 100_000  # hours read (with their offset) a file remembers: over eleven years


class Moments:
    """Reads measured_at: the moment as the stage keeps it (UTC text in the database's own
    form), its day in the measurements' zone and whether it falls in school hours (as
    schoolhours.py defines them, with the zone, hours and "now" read once per file)."""

    def __init__(self) -> None:
        self.latest = timezone.now() + FUTURE_SLACK
        self.zone = schoolhours.zone()
        hours: tuple[int, int] = getattr(settings, "MEASUREMENTS_SCHOOL_HOURS", (8, 17))
        self.first_hour, self.last_hour = hours
        self.postgresql = vendor() == "postgresql"
        self.utc_suffix = "+00:00" if self.postgresql else ""
        self.hours: dict[str, tuple[str, date, bool] | None] = {}

    def __call__(self, value: str) -> tuple[str, date, bool]:
        quick = self.quick(value)
        if quick is not None:
            return quick
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if (moment is None or moment.tzinfo is None or moment.utcoffset() is None
                or not EARLIEST <= moment <= self.latest):
            try:  # ingest's reading says what is wrong with it
                moment = measured_at(value)
            except ItemRefused as refused:
                raise cells.CellError(refused.message, **refused.params) from None
        utc = moment.astimezone(UTC)
        local = moment.astimezone(self.zone)
        school = local.weekday() < 5 and self.first_hour <= local.hour < self.last_hour
        stored = utc.isoformat(sep=" ") if self.postgresql else str(utc.replace(tzinfo=None))
        return stored, local.date(), school

    def quick(self, value: str) -> tuple[str, date, bool] | None:
        """A time written YYYY-MM-DDTHH:MM:SS with an offset of whole hours (or Z) read from its
        hour's reading, made once per hour and offset: whole hours apart, the moment in UTC and
        in the zone has the minutes and seconds as written. None: read it whole."""
        if len(value) == 25:
            if value[22:] != ":00" or value[19] not in "+-":
                return None
        elif len(value) != 20 or value[19] != "Z":
            return None
        if value[13] != ":" or value[14:19] not in MINUTES_SECONDS:
            return None
        key = value[:13] + value[19:]
        if key in self.hours:
            hour = self.hours[key]
        else:
            hour = self._hour(f"{value[:13]}:00:00{value[19:]}")
            if len(self.hours) >= HOURS_KEPT:
                self.hours.clear()
            self.hours[key] = hour
        if hour is None:
            return None
        return f"{hour[0]}{value[13:19]}{self.utc_suffix}", hour[1], hour[2]

    def _hour(self, start: str) -> tuple[str, date, bool] | None:
        """The UTC text up to the hour, the day and whether in school hours of every moment of
        the hour starting at `start`, if they all read plainly: a valid time with its offset,
        within EARLIEST and the latest allowed, in a stretch of whole hours of the zone."""
        try:
            moment = datetime.fromisoformat(start)
        except ValueError:
            return None
        offset = moment.utcoffset()
        end = moment + timedelta(minutes=59, seconds=59)
        if offset is None or offset % HOUR or not EARLIEST <= moment <= end <= self.latest:
            return None
        local, local_end = moment.astimezone(self.zone), end.astimezone(self.zone)
        here = local.utcoffset()
        if here is None or here % HOUR or here != local_end.utcoffset():
            return None
        utc = moment.astimezone(UTC)
        school = local.weekday() < 5 and self.first_hour <= local.hour < self.last_hour
        return utc.isoformat(sep=" ")[:13], local.date(), school


def stage_moment(column: str) -> str:
    """SQL reading a staged moment as the table's column type."""
    return f"CAST({column} AS timestamptz)" if vendor() == "postgresql" else column


class Measurements(Contract):
    """Key: location + device + measured_at + kind. A provider may be confined to its lines."""

    kind = "measurements"
    columns = [Column(name, required=name in REQUIRED) for name in COLUMNS]
    stage_columns = [
        ("location_id", BIGINT), ("device", TEXT), ("measured_at", TEXT), ("day", DATE),
        ("school", BOOL), ("kind", TEXT), ("path", TEXT), ("line_id", BIGINT),
        ("download", FLOAT), ("upload", FLOAT), ("latency", FLOAT), ("jitter", FLOAT),
        ("loss", FLOAT), ("reachable", BOOL), ("fresh", BOOL),
    ]
    stage_binary = True  # each staged value of its column's type (the day: `staged_day`)

    def __init__(self, only_provider: str | None = None) -> None:
        self.only_provider = only_provider
        self._stage_span: tuple[Any, Any] | None = None
        self._problems: ProblemList | None = None
        self._dates = vendor() == "postgresql"  # a binary stage takes days as dates
        # What the devices' check read of the stage: its rows, each location's days.
        self._stage_rows: int | None = None
        self._stage_days: dict[int, tuple[Any, Any]] = {}
        self.locations = _locations()
        self.lines = _lines()
        found = list(fetch("SELECT bit FROM connectivity_module WHERE code = %s",
                           [BACKUP_MODULE]))
        self.backup_bit = found[0][0] if found else None
        self.fields = [
            Field("schoolnummer", lambda v: cells.text(v, max_length=20, required=True).upper()),
            Field("intern_vplnummer", lambda v: cells.text(v, max_length=20).upper()),
            Field("device", _device),
            Field("measured_at", Moments()),
            Field("kind", _choice(Kind)),
            Field("path", _choice(LinePath)),
            Field("download_mbps", _decimal),
            Field("upload_mbps", _decimal),
            Field("latency_ms", _decimal),
            Field("jitter_ms", _decimal),
            Field("loss_pct", _percentage),
            Field("reachable", _reachable),
        ]

    def build(self, values: dict[str, Any], row: Row) -> tuple | None:
        """The kind's required and forbidden values, the location, its line on that day."""
        v = values
        kind = v["kind"]
        if not self._values_fit_kind(v, kind, row):
            return None
        school = v["schoolnummer"]
        place = self.locations.get(school)
        if place is None:
            row.problem("schoolnummer", _("%(school)s is not a known school"), school=school)
            return None
        number = v["intern_vplnummer"] or place[""]
        location_id = place.get(number)
        if location_id is None:
            row.problem("intern_vplnummer", _("school %(school)s has no location %(location)s"),
                        school=school, location=number)
            return None
        moment, day, school_hours = v["measured_at"]
        line = self._line_on(location_id, day)
        if self.only_provider and (line is None or line[1] != self.only_provider):
            row.problem("schoolnummer", _("no line of %(provider)s is active at location "
                                          "%(location)s of school %(school)s on %(day)s; you "
                                          "may send only measurements of your own lines"),
                        provider=self.only_provider, location=number, school=school,
                        day=day.isoformat())
            return None
        if (v["path"] == LinePath.BACKUP and line is not None
                and (self.backup_bit is None or not line[2] & self.backup_bit)):
            row.problem("path", _("backup, but line %(line)s has no backup-line module"),
                        line=line[3])
            return None
        return (location_id, v["device"], moment, self.staged_day(day), school_hours, kind,
                v["path"], line[0] if line else None, v["download_mbps"], v["upload_mbps"],
                v["latency_ms"], v["jitter_ms"], v["loss_pct"], v["reachable"], True)

    def staged_day(self, day: date) -> date | str:
        """A day as the stage takes it: a date in PostgreSQL's binary copy, else its ISO text
        (as every stage keeps a date on SQLite)."""
        return day if self._dates else day.isoformat()

    def row_reader(self, header: Header, generic: RowReader) -> RowReader | None:
        """Rows of a file with every column are read by quickrows.py (the same outcome)."""
        return quick_reader(self, header, generic)

    @staticmethod
    def _values_fit_kind(v: dict[str, Any], kind: str, row: Row) -> bool:
        """Speeds required for `speed`, `reachable` for `ping`; each empty otherwise; the
        quality measures (latency, jitter, loss) only with a speed test or a ping."""
        ok = True
        for column, wanted in (("download_mbps", kind == Kind.SPEED),
                               ("upload_mbps", kind == Kind.SPEED),
                               ("reachable", kind == Kind.PING)):
            if wanted and v[column] is None:
                row.problem(column, _("is empty; required for kind %(kind)s"), kind=kind)
                ok = False
            elif not wanted and v[column] is not None:
                row.problem(column, _("must be empty for kind %(kind)s"), kind=kind)
                ok = False
        if kind == Kind.FAILOVER:
            for column in ("latency_ms", "jitter_ms", "loss_pct"):
                if v[column] is not None:
                    row.problem(column, _("must be empty for kind %(kind)s"), kind="failover")
                    ok = False
        return ok

    def _line_on(self, location_id: int, day: date) -> tuple | None:
        """The line active at the location on that day (the earliest made, as ingest)."""
        for line in self.lines.get(location_id, ()):
            if line[4] is not None and line[4] <= day and (line[5] is None or line[5] >= day):
                return line
        return None

    def check(self, stage: Stage, problems: ProblemList) -> None:
        """A key once (equal repeats taken once), at most five devices per location.

        On PostgreSQL a file with no other problem is not searched for repeated keys here: the
        merge's insert meets any (the measurement key is unique) and then searches them (a
        whole file's grouping on the key, a tenth of the import, spent only on such a file)."""
        self._problems = problems
        searched = bool(problems) or vendor() != "postgresql"
        if searched:
            self._repeats(stage, problems)
        self._devices(stage, problems)
        if problems and not searched:  # refused: every problem named in one round
            self._repeats(stage, problems)
        if not problems:  # the months' partitions, committed before the merge's transaction
            self._partitions(stage)  # (made in it, they would wait on agents' posts: deadlock)

    def _span(self, stage: Stage) -> tuple[Any, Any]:
        """The stage's first and last moment, read once (the checks change only `fresh`)."""
        if self._stage_span is None:
            self._stage_span = next(fetch(f"SELECT min(measured_at), max(measured_at) "
                                          f"FROM {quote(stage.name)}"))
        return self._stage_span

    def _partitions(self, stage: Stage) -> None:
        if not partitioning.is_partitioned():  # SQLite: one plain table
            return
        low, high = self._span(stage)
        partitioning.ensure_partitions(partitioning.parse_moment(low),
                                       partitioning.parse_moment(high))

    def _repeats(self, stage: Stage, problems: ProblemList) -> int:
        """Name each key repeated with other values; mark equal repeats taken (not fresh).
        Returns how many were equal."""
        pairs = list(repeated_keys(stage, KEY))
        if not pairs:
            return 0
        table = quote(stage.name)
        lines = sorted({n for pair in pairs for n in pair})
        found: dict[int, tuple] = {}
        for start in range(0, len(lines), 500):
            chunk = lines[start:start + 500]
            marks = ", ".join("%s" for _ in chunk)
            found.update((r[0], r[1:]) for r in fetch(
                f"SELECT line, {', '.join(VALUES)} FROM {table} WHERE line IN ({marks})", chunk))
        equal = []
        for line, first in pairs:
            if found[line] == found[first]:
                equal.append(line)
            else:
                problems.add(line, "measured_at", _("the same measurement (device, time, kind) "
                                                    "as line %(first)s, with other values"),
                             first=first)
        with connection.cursor() as cursor:
            for start in range(0, len(equal), 500):
                chunk = equal[start:start + 500]
                marks = ", ".join("%s" for _ in chunk)
                cursor.execute(f"UPDATE {table} SET fresh = %s WHERE line IN ({marks})",
                               [False, *chunk])
        return len(equal)

    def _devices(self, stage: Stage, problems: ProblemList) -> None:
        """At most five devices per location. The same reading of the stage gives its rows,
        first and last moment and each location's days, which the merge needs too."""
        table = quote(stage.name)
        in_file: dict[int, list[tuple[int, str]]] = defaultdict(list)
        moments: list[Any] = []
        days, rows = self._stage_days, 0
        for location_id, device, line, count, first, last, low, high in fetch(
                f"SELECT location_id, device, min(line), count(*), min(measured_at), "
                f"max(measured_at), min(day), max(day) FROM {table} "
                "GROUP BY location_id, device"):
            in_file[location_id].append((line, device))
            rows += count
            moments += (first, last)
            span = days.get(location_id)
            days[location_id] = (low, high) if span is None else (
                min(span[0], low), max(span[1], high))
        self._stage_rows = rows
        if not in_file:  # no row was valid
            return
        self._stage_span = min(moments), max(moments)
        known = self._known_devices(stage, list(in_file))
        for location_id, devices in in_file.items():
            seen = set(known.get(location_id, ()))
            for line, device in sorted(devices):
                if device in seen:
                    continue
                if len(seen) >= MAX_DEVICES_PER_LOCATION:
                    problems.add(line, "device", _("%(device)s would be a sixth device at this "
                                                   "location (at most %(most)s: %(seen)s)"),
                                 device=device, most=MAX_DEVICES_PER_LOCATION,
                                 seen=", ".join(sorted(seen)))
                    continue
                seen.add(device)

    def _known_devices(self, stage: Stage, location_ids: list[int]) -> dict[int, set[str]]:
        """The devices already at these locations: a token in force, or measured there within
        DEVICE_REPORTING_DAYS before the file's first measurement."""
        first = self._span(stage)[0]
        since = partitioning.parse_moment(first) - timedelta(days=DEVICE_REPORTING_DAYS)
        known: dict[int, set[str]] = defaultdict(set)
        for start in range(0, len(location_ids), 500):
            chunk = location_ids[start:start + 500]
            marks = ", ".join("%s" for _ in chunk)
            for location_id, device in fetch(
                    f"SELECT location_id, device FROM measurements_devicetoken "
                    f"WHERE revoked_at IS NULL AND location_id IN ({marks})", chunk):
                known[location_id].add(device)
            for location_id, device in fetch(
                    f"SELECT DISTINCT location_id, device FROM measurements_measurement "
                    f"WHERE location_id IN ({marks}) AND measured_at >= %s",
                    [*chunk, connection.ops.adapt_datetimefield_value(since)]):
                known[location_id].add(device)
        return known

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Add the rows not stored yet and update the rollups of what they add."""
        now = timezone.now()
        table = quote(stage.name)
        self._partitions(stage)  # none to make, unless retention dropped one meanwhile
        total = self._stage_rows
        if total is None:
            total = next(fetch(f"SELECT count(*) FROM {table}"))[0]
        moment = stage_moment("s.measured_at")
        postgresql = vendor() == "postgresql"
        # On PostgreSQL every writer of measurements holds the rows of their locations (the
        # agents' folds: inbox._lock_locations), so no key marked fresh below is stored before
        # this commits: a plain insert, without ON CONFLICT's speculative insertion of each row
        # (a third of the insert's time); a writer that did not hold them fails the import
        # whole rather than have its rows counted twice in the rollups.
        conflict = "" if postgresql else (
            " ON CONFLICT (location_id, device, measured_at, kind) DO NOTHING")
        with connection.cursor() as cursor:
            if postgresql:  # ingest's posts of these locations wait (rollups)
                self._lock_locations(cursor, table)
            cursor.execute(
                f"UPDATE {table} SET fresh = %s WHERE fresh AND EXISTS (SELECT 1 FROM "
                f"measurements_measurement m WHERE m.location_id = {table}.location_id "
                f"AND m.device = {table}.device AND m.kind = {table}.kind "
                f"AND m.measured_at = {stage_moment(table + '.measured_at')})", [False])
            stored = cursor.rowcount
            stamp = connection.ops.adapt_datetimefield_value(now)
            insert = (
                "INSERT INTO measurements_measurement (location_id, device, measured_at, kind, "
                "path, line_id, download_mbps, upload_mbps, latency_ms, jitter_ms, loss_pct, "
                "reachable, received_at, token_id, import_run_id) "
                f"SELECT s.location_id, s.device, {moment}, s.kind, s.path, s.line_id, "
                "s.download, s.upload, s.latency, s.jitter, s.loss, s.reachable, %s, NULL, %s "
                f"FROM {table} s WHERE s.fresh{conflict}", [stamp, run.pk])
            created = self._insert(cursor, stage, *insert) if postgresql else (
                _inserted(cursor, *insert))
        # Every row new: each location's days are those the devices' check read.
        every = not stored and created == total and bool(self._stage_days)
        rollups.add_staged(stage, [(location_id, *days) for location_id, days
                                   in self._stage_days.items()] if every else None)
        if created:
            audit(run.user or run.actor, now, AuditEntry.Action.CREATE, Measurement, "*",
                  {"rows": (None, created)}, run=run)
        return Counts(created=created, updated=0, unchanged=total - created)

    def _lock_locations(self, cursor: Any, table: str) -> None:
        """Hold the rows of the stage's locations, in id order (as the agents' folds)."""
        if not self._stage_days:
            cursor.execute("SELECT id FROM registry_location WHERE id IN "
                           f"(SELECT DISTINCT location_id FROM {table}) ORDER BY id FOR UPDATE")
            return
        cursor.execute("SELECT id FROM registry_location WHERE id = ANY(%s) ORDER BY id "
                       "FOR UPDATE", [sorted(self._stage_days)])

    def _insert(self, cursor: Any, stage: Stage, sql: str, params: list[Any]) -> int:
        """PostgreSQL's insert, its repeated keys not searched before (`check`): in a
        savepoint, which a key met twice takes back; then the repeats are searched, those with
        other values refuse the file and equal ones are taken once, and it inserts again."""
        try:
            with transaction.atomic():
                return _inserted(cursor, sql, params)
        except IntegrityError:
            problems = self._problems
            assert problems is not None
            equal = self._repeats(stage, problems)
            if problems:
                raise ImportRefused(problems) from None
            if not equal:
                raise  # no repeat: a key stored meanwhile by a writer not holding the locations
            return _inserted(cursor, sql, params)


def _inserted(cursor: Any, sql: str, params: list[Any]) -> int:
    cursor.execute(sql, params)
    return int(cursor.rowcount)


def _locations() -> dict[str, dict[str, Any]]:
    """Each school's locations by number (upper case), and under "" its main location's."""
    places: dict[str, dict[str, Any]] = {}
    for school, number, pk, _main in fetch(
            "SELECT i.number, l.number, l.id, l.is_main FROM registry_location l "
            "JOIN registry_institution i ON i.id = l.institution_id "
            "ORDER BY i.number, l.is_main DESC, length(l.number), l.number"):
        numbers = places.setdefault(school.upper(), {"": number.upper()})
        numbers.setdefault(number.upper(), pk)
    return places


def _lines() -> dict[int, list[tuple]]:
    """Every line by location, earliest made first: (id, provider, modules, contract, started,
    ended)."""
    lines: dict[int, list[tuple]] = defaultdict(list)
    for pk, location_id, provider, modules, contract, started, ended in fetch(
            "SELECT id, location_id, provider_id, modules, contract_id, started_on, ended_on "
            "FROM connectivity_subscription ORDER BY id"):
        lines[location_id].append((pk, provider, modules, f"{provider}/{contract}",
                                   _day(started), _day(ended)))
    return lines


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def import_measurements(path: Path, *, actor: str, user: Any = None,
                        provider: str | None = None, progress: Progress | None = None,
                        display_name: str | None = None) -> ImportRun:
    """Import a measurements file whole, or refuse it whole; `provider` confines it to the
    measurements of that provider's lines."""
    return run_import(Measurements(provider), path, actor=actor, user=user, progress=progress,
                      display_name=display_name)
