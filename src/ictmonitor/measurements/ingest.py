"""Measurements posted by a measuring device (contracts/measurements.md), a batch at a time.

Each item is checked on its own and answered `accepted`, `duplicate` (its key is stored
already, or came earlier in the batch: sending again changes nothing) or `refused` with the
reason; an agent drops what was refused and never sends it again. The post does no more than
that (`receive`): the accepted items are kept as one waiting batch, one INSERT committed before
the answer, and the fold (inbox.py, in the worker) adds them to the raw table and the day
rollups within seconds. An item sent again before its first copy was folded is answered
`accepted` once more and dropped by the fold as stored already: never a second row.

200 agents post at the same instant (issue 16), so a post is kept cheap: its items are checked
in plain Python (no exception on the happy path), the location's lines and the keys stored
already in the batch's span are read in one query, the waiting batch is written by one INSERT,
and the answer is JSON made once (`Answer.as_bytes`). Two round trips after the token's.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ictmonitor.connectivity.selectors import module_bit
from ictmonitor.measurements import inbox, schoolhours
from ictmonitor.measurements.models import (
    DailyRollup,
    DeviceToken,
    Kind,
    Path,
)
from ictmonitor.measurements.refusals import ItemRefused

MAX_BATCH = 500
EARLIEST = datetime(2015, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(hours=1)
BACKUP_MODULE = "backup-line"
KINDS, PATHS = frozenset(Kind.values), frozenset(Path.values)  # (`.values` is made at each call)
FIELDS = frozenset({"key", "measured_at", "kind", "path", "download_mbps", "upload_mbps",
                    "latency_ms", "jitter_ms", "loss_pct", "reachable"})
NUMBERS = (int, float)  # a JSON number (bool, a subclass of int, is not one)


@dataclass
class Answer:
    """What became of each item of a batch."""

    results: list[dict[str, Any]] = field(default_factory=list)

    def add(self, index: int, key: str, status: str, reason: str | None = None) -> None:
        self.results.append({"index": index, "key": key, "status": status, "reason": reason})

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r["status"] == status)

    def as_json(self) -> dict[str, Any]:
        return {"accepted": self.count("accepted"), "duplicates": self.count("duplicate"),
                "refused": self.count("refused"), "results": self.results}

    def as_bytes(self) -> bytes:
        """The answer as the API sends it (BatchOut's shape), made once."""
        return json.dumps(self.as_json(), ensure_ascii=False).encode()


class Line(NamedTuple):
    """A line of the location as a post needs it: which, when, its modules, its name."""

    pk: int
    started_on: date | None
    ended_on: date | None
    modules: int
    name: str  # provider/contract, as connectivity names a line

    def __str__(self) -> str:
        return self.name


def latest_allowed() -> datetime:
    """The latest measured_at a measurement may have now (an hour ahead: clocks differ)."""
    return timezone.now() + FUTURE_SLACK


def measured_at(value: Any, latest: datetime | None = None) -> datetime:
    """An ISO 8601 date and time with its offset, in UTC; a time without one is refused, and
    one after `latest` (default: an hour from now) or before 2015."""
    if not isinstance(value, str) or not value.strip():
        raise ItemRefused("measured_at", _("required, an ISO 8601 date and time with its "
                                            "offset"))
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ItemRefused("measured_at", _("%(value)r is not an ISO 8601 date and time"),
                          value=value) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ItemRefused("measured_at", _("%(value)r has no offset (write it as "
                                           "2026-03-02T09:15:00+01:00 or …Z)"), value=value)
    if moment < EARLIEST:
        raise ItemRefused("measured_at", _("%(value)r is before 2015"), value=value)
    if moment > (latest if latest is not None else latest_allowed()):
        raise ItemRefused("measured_at", _("%(value)r is more than one hour in the future"),
                          value=value)
    return moment.astimezone(UTC)


def decimal(item: dict[str, Any], name: str, *, required: bool, allowed: bool,
            most: float | None = None) -> float | None:
    """A decimal ≥ 0 (and ≤ most), required or allowed for the item's kind, or None."""
    value = item.get(name)
    if value is None or value == "":
        if required:
            raise ItemRefused(name, _("required for kind %(kind)s"), kind=item.get("kind"))
        return None
    if not allowed:
        raise ItemRefused(name, _("must be empty for kind %(kind)s"), kind=item.get("kind"))
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ItemRefused(name, _("%(value)r is not a number"), value=value)
    try:
        number = float(value)
    except ValueError:
        raise ItemRefused(name, _("%(value)r is not a number"), value=value) from None
    except OverflowError:  # an integer beyond any float (JSON allows 1 and 400 zeros)
        raise ItemRefused(name, _("too large a number")) from None
    if not math.isfinite(number) or number < 0:
        raise ItemRefused(name, _("%(value)r is negative or not a number"), value=value)
    if most is not None and number > most:
        raise ItemRefused(name, _("%(value)r is above %(most)s"), value=value,
                          most=f"{most:g}")
    return number


def reachable(item: dict[str, Any], kind: str) -> bool | None:
    """1 or 0 (true or false), required for a ping and empty otherwise."""
    value = item.get("reachable")
    if value is None or value == "":
        if kind == Kind.PING:
            raise ItemRefused("reachable", _("required for kind ping (1 or 0)"))
        return None
    if kind != Kind.PING:
        raise ItemRefused("reachable", _("must be empty for kind %(kind)s"), kind=kind)
    if value in (1, "1", True, "true"):
        return True
    if value in (0, "0", False, "false"):
        return False
    raise ItemRefused("reachable", _("%(value)r is not 1 or 0"), value=value)


# The measures each kind may carry: (name, required, allowed, most).
MEASURES = {kind: (("download_mbps", kind == Kind.SPEED, kind == Kind.SPEED, None),
                   ("upload_mbps", kind == Kind.SPEED, kind == Kind.SPEED, None),
                   ("latency_ms", False, kind != Kind.FAILOVER, None),
                   ("jitter_ms", False, kind != Kind.FAILOVER, None),
                   ("loss_pct", False, kind != Kind.FAILOVER, 100.0))
            for kind in KINDS}


def parse(item: Any, latest: datetime | None = None) -> dict[str, Any]:
    """An item's values as the row stores them, or ItemRefused (`latest`: see measured_at)."""
    if not isinstance(item, dict):
        raise ItemRefused("", _("not an object"))
    if not FIELDS.issuperset(item):
        raise ItemRefused("", _("unknown field %(name)r"), name=sorted(set(item) - FIELDS)[0])
    at = item.get("measured_at")
    try:
        moment = datetime.fromisoformat(at) if type(at) is str else None
    except ValueError:
        moment = None
    latest = latest if latest is not None else latest_allowed()
    if moment is not None and moment.tzinfo is not None and EARLIEST <= moment <= latest:
        moment = moment.astimezone(UTC)  # the usual case, checked at once
    else:
        moment = measured_at(at, latest)  # anything else, with its reason
    kind = item.get("kind")
    if kind not in KINDS:
        raise ItemRefused("kind", _("%(value)r is not speed, ping or failover"), value=kind)
    path = item.get("path")
    if path not in PATHS:
        raise ItemRefused("path", _("%(value)r is not primary or backup"), value=path)
    values = {"measured_at": moment, "kind": kind, "path": path}
    for name, required, allowed, most in MEASURES[kind]:
        value: Any = item.get(name)
        if value is None and not required:
            values[name] = None
        elif allowed and type(value) in NUMBERS and 0 <= value <= (most or 1e300):
            values[name] = float(value)  # the usual case, checked at once
        else:  # anything else, with its reason
            values[name] = decimal(item, name, required=required, allowed=allowed, most=most)
    values["reachable"] = reachable(item, kind)
    return values


def key_of(item: Any, index: int) -> str:
    """The item's key as the agent named it, else its time and kind, else its place."""
    if isinstance(item, dict):
        if isinstance(item.get("key"), str):
            return str(item["key"])[:200]
        return f"{item.get('measured_at')}/{item.get('kind')}"[:200]
    return f"#{index}"


def line_on(lines: Sequence[Line], day: date) -> Line | None:
    """The line active at the location on a day (the earliest made, if several)."""
    for line in lines:
        if (line.started_on is not None and line.started_on <= day
                and (line.ended_on is None or line.ended_on >= day)):
            return line
    return None


def check(items: Sequence[Any], answer: Answer) -> list[tuple[int, str, dict[str, Any]]]:
    """Each item checked against the contract: those refused added to the answer with their
    reason; (index, key, values) of the others."""
    latest = latest_allowed()
    checked: list[tuple[int, str, dict[str, Any]]] = []
    for index, item in enumerate(items):
        key = key_of(item, index)
        try:
            checked.append((index, key, parse(item, latest)))
        except ItemRefused as refused:
            answer.add(index, key, "refused", refused.text())  # the API's language
    return checked


def receive(token: DeviceToken, items: Sequence[Any]) -> Answer:
    """A device's batch, answered: each item accepted, a duplicate (stored already, or earlier
    in the batch) or refused with its reason; the accepted ones, each with the line active on
    its day, kept as one waiting batch, committed before the answer, for the fold to add
    (inbox.py)."""
    answer = Answer()
    checked = check(items, answer)
    if checked:
        moments = [values["measured_at"] for _, _, values in checked]
        lines, stored = _lines_and_stored_keys(token, min(moments), max(moments))
        accepted = _accepted(checked, lines, stored, answer)
        if accepted:
            _keep(token, accepted)
    answer.results.sort(key=lambda r: r["index"])
    return answer


def ingest(token: DeviceToken, items: Sequence[Any]) -> Answer:
    """A device's batch received and folded at once (the demo, the tests, and a post when
    MEASUREMENTS_FOLD_IN_REQUEST is on); the answer as `receive` gives it."""
    answer = receive(token, items)
    inbox.fold_all()
    return answer


def _accepted(checked: Sequence[tuple[int, str, dict[str, Any]]], lines: Sequence[Line],
              stored: set[tuple[datetime, str]], answer: Answer) -> list[dict[str, Any]]:
    """The checked items that are neither stored already nor earlier in the batch nor on a
    backup path their line has no module for, each with its line; the others answered."""
    bit: list[int | None] = []  # the backup-line module's bit, read when first needed
    accepted: list[dict[str, Any]] = []
    zone = schoolhours.zone()
    for index, key, values in checked:
        line = (line_on(lines, values["measured_at"].astimezone(zone).date())  # its local day
                if lines else None)
        if values["path"] == Path.BACKUP and line is not None:
            if not bit:
                bit.append(module_bit(BACKUP_MODULE))
            if bit[0] is None or not line.modules & bit[0]:
                answer.add(index, key, "refused", ItemRefused(
                    "path", _("backup, but line %(line)s has no backup-line module"),
                    line=line.name).text())
                continue
        identity = (values["measured_at"], values["kind"])
        if identity in stored:
            answer.add(index, key, "duplicate")
            continue
        stored.add(identity)
        values["line_id"] = line.pk if line is not None else None
        accepted.append(values)
        answer.add(index, key, "accepted")
    return accepted


# The location's lines (earliest made first) and the device's keys stored in a span, in one
# round trip: a post asks the database three times in all (token, this, the INSERT).
LINES_AND_KEYS = (
    "SELECT 0, s.id, s.started_on, s.ended_on, s.modules, s.provider_id, s.contract_id, NULL "
    "FROM connectivity_subscription s WHERE s.location_id = %s "
    "UNION ALL "
    "SELECT 1, NULL, NULL, NULL, NULL, m.kind, NULL, m.measured_at "
    "FROM measurements_measurement m WHERE m.location_id = %s AND m.device = %s "
    "AND m.measured_at >= %s AND m.measured_at <= %s "
    "ORDER BY 1, 2")


def _lines_and_stored_keys(token: DeviceToken, low: datetime,
                           high: datetime) -> tuple[list[Line], set[tuple[datetime, str]]]:
    """The location's lines and the (measured_at, kind) keys of the device stored between
    `low` and `high` (the measurement key's index, a range of it)."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(LINES_AND_KEYS, [token.location_id, token.location_id, token.device,
                                        adapt(low), adapt(high)])
        found = cursor.fetchall()
    lines, stored = [], set()
    for what, pk, started, ended, modules, name, contract, moment in found:
        if what == 0:
            lines.append(Line(pk, _day(started), _day(ended), modules, f"{name}/{contract}"))
        else:
            stored.add((_utc(moment), name))
    return lines, stored


def _keep(token: DeviceToken, accepted: Sequence[dict[str, Any]]) -> None:
    """The accepted items as one waiting batch (ReceivedBatch), one INSERT (autocommit: it is
    committed when the answer goes)."""
    moments = [v["measured_at"] for v in accepted]
    adapt = connection.ops.adapt_datetimefield_value
    items = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO measurements_receivedbatch (token_id, location_id, received_at, items, "
            f"count, first_measured_at, last_measured_at) VALUES (%s, %s, %s, {items}, %s, %s, "
            "%s)", [token.pk, token.location_id, adapt(timezone.now()),
                    json.dumps([inbox.as_item(v) for v in accepted]), len(accepted),
                    adapt(min(moments)), adapt(max(moments))])


def _day(value: Any) -> date | None:
    """A date column as read (SQLite gives text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _utc(value: Any) -> datetime:
    """A date-and-time column as read, in UTC (SQLite gives text without its offset, in UTC)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _rollup(location_id: int, line_id: int | None, day: date,
            rows: list[tuple[Any, ...]]) -> DailyRollup:
    rollup = DailyRollup(location_id=location_id, line_id=line_id, day=day,
                         first_measured_at=min(r[1] for r in rows),
                         last_measured_at=max(r[1] for r in rows))
    downloads, uploads = [], []
    for _line, moment, kind, path, download, upload, up in rows:
        school = schoolhours.in_school_hours(moment)
        if kind == Kind.SPEED:
            rollup.speed_tests += 1
            if school and path == Path.PRIMARY:
                rollup.speed_tests_school_hours += 1
                downloads.append(download)
                uploads.append(upload)
        elif kind == Kind.PING:
            rollup.pings += 1
            rollup.pings_reachable += bool(up)
            if school:
                rollup.pings_school_hours += 1
                rollup.pings_reachable_school_hours += bool(up)
        elif path == Path.BACKUP:
            rollup.failovers += 1
        else:
            rollup.returns += 1
    rollup.download_school_hours = sorted(downloads)
    rollup.upload_school_hours = sorted(uploads)
    return rollup
