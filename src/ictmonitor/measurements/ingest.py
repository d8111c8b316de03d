"""Measurements posted by a measuring device (contracts/measurements.md), a batch at a time.

Each item is checked on its own and answered `accepted`, `duplicate` (its key is stored
already, or came earlier in the batch: sending again changes nothing) or `refused` with the
reason; an agent drops what was refused and never sends it again. The post does no more than
that (`receive`): the accepted items are kept as one waiting batch, one INSERT committed before
the answer, and the fold (inbox.py, in the worker) adds them to the raw table and the day
rollups within seconds. An item sent again before its first copy was folded is answered
`accepted` once more and dropped by the fold as stored already: never a second row.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ictmonitor.connectivity.selectors import location_lines, module_bit
from ictmonitor.measurements import inbox, schoolhours
from ictmonitor.measurements.models import (
    DailyRollup,
    DeviceToken,
    Kind,
    Measurement,
    Path,
    ReceivedBatch,
)
from ictmonitor.measurements.refusals import ItemRefused

if TYPE_CHECKING:
    from ictmonitor.connectivity.models import Subscription  # a line, as connectivity reads it

MAX_BATCH = 500
EARLIEST = datetime(2015, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(hours=1)
BACKUP_MODULE = "backup-line"
KINDS, PATHS = frozenset(Kind.values), frozenset(Path.values)  # (`.values` is made at each call)
FIELDS = {"key", "measured_at", "kind", "path", "download_mbps", "upload_mbps", "latency_ms",
          "jitter_ms", "loss_pct", "reachable"}


@dataclass
class Answer:
    """What became of each item of a batch."""

    results: list[dict[str, Any]] = field(default_factory=list)

    def add(self, index: int, key: str, status: str, reason: str = "") -> None:
        entry: dict[str, Any] = {"index": index, "key": key, "status": status}
        if reason:
            entry["reason"] = reason
        self.results.append(entry)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r["status"] == status)

    def as_json(self) -> dict[str, Any]:
        return {"accepted": self.count("accepted"), "duplicates": self.count("duplicate"),
                "refused": self.count("refused"), "results": self.results}


def measured_at(value: Any) -> datetime:
    """An ISO 8601 date and time with its offset; a time without one is refused."""
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
    if moment > timezone.now() + FUTURE_SLACK:
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


def parse(item: Any) -> dict[str, Any]:
    """An item's values as the row stores them, or ItemRefused."""
    if not isinstance(item, dict):
        raise ItemRefused("", _("not an object"))
    unknown = sorted(set(item) - FIELDS)
    if unknown:
        raise ItemRefused("", _("unknown field %(name)r"), name=unknown[0])
    moment = measured_at(item.get("measured_at"))
    kind = item.get("kind")
    if kind not in KINDS:
        raise ItemRefused("kind", _("%(value)r is not speed, ping or failover"), value=kind)
    path = item.get("path")
    if path not in PATHS:
        raise ItemRefused("path", _("%(value)r is not primary or backup"), value=path)
    speed, measures = kind == Kind.SPEED, kind in (Kind.SPEED, Kind.PING)
    return {
        "measured_at": moment, "kind": kind, "path": path,
        "download_mbps": decimal(item, "download_mbps", required=speed, allowed=speed),
        "upload_mbps": decimal(item, "upload_mbps", required=speed, allowed=speed),
        "latency_ms": decimal(item, "latency_ms", required=False, allowed=measures),
        "jitter_ms": decimal(item, "jitter_ms", required=False, allowed=measures),
        "loss_pct": decimal(item, "loss_pct", required=False, allowed=measures, most=100),
        "reachable": reachable(item, kind),
    }


def key_of(item: Any, index: int) -> str:
    """The item's key as the agent named it, else its time and kind, else its place."""
    if isinstance(item, dict):
        if isinstance(item.get("key"), str):
            return str(item["key"])[:200]
        return f"{item.get('measured_at')}/{item.get('kind')}"[:200]
    return f"#{index}"


def line_on(lines: Sequence[Subscription], day: date) -> Subscription | None:
    """The line active at the location on a day (the earliest made, if several)."""
    for line in lines:
        if (line.started_on is not None and line.started_on <= day
                and (line.ended_on is None or line.ended_on >= day)):
            return line
    return None


def check(token: DeviceToken, items: Sequence[Any],
          answer: Answer) -> list[tuple[int, str, dict[str, Any]]]:
    """Each item checked against the contract: those refused added to the answer with their
    reason; (index, key, values) of the others, each with the line active on its day."""
    lines = location_lines(token.location_id)
    bit: list[int | None] = []  # the backup-line module's bit, read when first needed
    checked: list[tuple[int, str, dict[str, Any]]] = []
    for index, item in enumerate(items):
        key = key_of(item, index)
        try:
            values = parse(item)
        except ItemRefused as refused:
            answer.add(index, key, "refused", refused.text())  # the API's language
            continue
        line = line_on(lines, schoolhours.local_day(values["measured_at"]))
        if values["path"] == Path.BACKUP and line is not None:
            if not bit:
                bit.append(module_bit(BACKUP_MODULE))
            if bit[0] is None or not line.modules & bit[0]:
                answer.add(index, key, "refused", ItemRefused(
                    "path", _("backup, but line %(line)s has no backup-line module"),
                    line=str(line)).text())
                continue
        values["line_id"] = line.pk if line is not None else None
        checked.append((index, key, values))
    return checked


def receive(token: DeviceToken, items: Sequence[Any]) -> Answer:
    """A device's batch, answered: each item accepted, a duplicate (stored already, or earlier
    in the batch) or refused with its reason; the accepted ones kept as one waiting batch,
    committed before the answer, for the fold to add (inbox.py)."""
    answer = Answer()
    checked = check(token, items, answer)
    stored = _stored_keys(token, [v for _, _, v in checked])
    accepted: list[dict[str, Any]] = []
    for index, key, values in checked:
        identity = (values["measured_at"], values["kind"])
        if identity in stored:
            answer.add(index, key, "duplicate")
            continue
        stored.add(identity)
        accepted.append(values)
        answer.add(index, key, "accepted")
    if accepted:
        moments = [v["measured_at"] for v in accepted]
        ReceivedBatch.objects.create(
            token=token, location_id=token.location_id, received_at=timezone.now(),
            items=[inbox.as_item(v) for v in accepted], count=len(accepted),
            first_measured_at=min(moments), last_measured_at=max(moments))
    answer.results.sort(key=lambda r: r["index"])
    return answer


def ingest(token: DeviceToken, items: Sequence[Any]) -> Answer:
    """A device's batch received and folded at once (the demo, the tests, and a post when
    MEASUREMENTS_FOLD_IN_REQUEST is on); the answer as `receive` gives it."""
    answer = receive(token, items)
    inbox.fold_all()
    return answer


def _stored_keys(token: DeviceToken, values: Iterable[dict[str, Any]]) -> set[tuple[datetime, str]]:
    """The (measured_at, kind) keys of these items already stored for the device (the
    measurement key's index, a range of it)."""
    moments = sorted({v["measured_at"] for v in values})
    if not moments:
        return set()
    found = Measurement.objects.filter(
        location_id=token.location_id, device=token.device,
        measured_at__gte=moments[0], measured_at__lte=moments[-1],
    ).values_list("measured_at", "kind")
    wanted = set(moments)
    return {(m.astimezone(UTC), k) for m, k in found if m.astimezone(UTC) in wanted}


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
