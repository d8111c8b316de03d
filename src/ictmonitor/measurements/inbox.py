"""The agents' posts folded into the raw table and the day rollups, in the background.

A post is answered as soon as its accepted items are stored as one `ReceivedBatch` row
(ingest.receive); the fold does the rest, in the worker (core/chores.py: every
MEASUREMENTS_FOLD_EVERY seconds, in each `ictmonitor worker`, the one `ictmonitor serve`
starts included). The worker's chore (`fold_when_quiet`) does not fold while posts keep
arriving, so the fold's CPU, the worker's and the database's, does not compete with a burst
of agents posting at the same instant: it folds once no post came for QUIET_SECONDS, or once
the oldest waiting batch has waited LONGEST_WAIT_SECONDS (posts that never stop are folded
all the same, within seconds). One fold, one transaction:

- take the waiting batches, oldest first (at most FOLD_BATCHES; on PostgreSQL `FOR UPDATE SKIP
  LOCKED`, so two workers fold different batches; SQLite lets one writer in at a time);
- lock their locations' rows, in id order, as a file's merge does: posts of one location's
  devices, and a file, share its day rollups;
- stage their items (core/bulk.Stage), drop each key (location, device, measured_at, kind)
  stored already or earlier in the fold, counted as a duplicate, and insert the rest with one
  INSERT … SELECT;
- add them to the day rollups (rollups.add_staged, as a file's merge does), write one audit
  entry per device, note when each token was last used, and delete the batches.

Killed or failing at any point, the fold leaves the batches where they were; the next one
takes them again. The months' partitions are made before the transaction (made inside it,
after reading the table, two folds or a fold and a file would deadlock in the catalogue).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone

from ictmonitor.core.bulk import BIGINT, BOOL, DATE, FLOAT, TEXT, Stage, fetch, quote, vendor
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit
from ictmonitor.measurements import partitioning, rollups, schoolhours
from ictmonitor.measurements.models import DeviceToken, Measurement, ReceivedBatch

# An item as a batch row keeps it, in this order (measured_at as ISO text in UTC).
COLUMNS = ("measured_at", "kind", "path", "line_id", "download_mbps", "upload_mbps",
           "latency_ms", "jitter_ms", "loss_pct", "reachable")
FOLD_BATCHES = 200  # batches one fold takes at most (each at most 500 items)
QUIET_SECONDS = 0.5  # the chore folds once no post came for this long ...
LONGEST_WAIT_SECONDS = 5.0  # ... or once a batch has waited this long
USE_RECORDED_EVERY = timedelta(minutes=5)  # a token's last use is noted at most this often
STAGE = "measurements_fold"
STAGE_COLUMNS = [
    ("location_id", BIGINT), ("device", TEXT), ("measured_at", TEXT), ("day", DATE),
    ("school", BOOL), ("kind", TEXT), ("path", TEXT), ("line_id", BIGINT),
    ("download", FLOAT), ("upload", FLOAT), ("latency", FLOAT), ("jitter", FLOAT),
    ("loss", FLOAT), ("reachable", BOOL), ("fresh", BOOL), ("token_id", BIGINT),
    ("received_at", TEXT),
]


@dataclass
class Folded:
    """What folds did: batches taken, rows added, items dropped as stored already."""

    batches: int = 0
    rows: int = 0
    duplicates: int = 0

    def __iadd__(self, other: Folded) -> Folded:
        self.batches += other.batches
        self.rows += other.rows
        self.duplicates += other.duplicates
        return self


def as_item(values: dict[str, Any]) -> list[Any]:
    """A checked item's values as a batch row keeps them (COLUMNS)."""
    return [values["measured_at"].astimezone(UTC).isoformat(), values["kind"], values["path"],
            values["line_id"], values["download_mbps"], values["upload_mbps"],
            values["latency_ms"], values["jitter_ms"], values["loss_pct"], values["reachable"]]


def fold_all() -> Folded:
    """Fold until no batch waits (that another worker holds aside); what was done."""
    done = Folded()
    while (folded := fold()).batches:
        done += folded
    return done


def fold_when_quiet() -> Folded:
    """The worker's chore: fold while the posts are quiet or a batch has waited long enough
    (see above), fold after fold; what was done."""
    done = Folded()
    while due() and (folded := fold()).batches:
        done += folded
    return done


def due(now: datetime | None = None) -> bool:
    """Whether a batch waits and either no post came for QUIET_SECONDS or the oldest has
    waited LONGEST_WAIT_SECONDS."""
    oldest, newest = ReceivedBatch.objects.aggregate(Min("received_at"),
                                                     Max("received_at")).values()
    if oldest is None:
        return False
    now = now or timezone.now()
    return (now - newest >= timedelta(seconds=QUIET_SECONDS)
            or now - oldest >= timedelta(seconds=LONGEST_WAIT_SECONDS))


def fold(most: int = FOLD_BATCHES) -> Folded:
    """Fold the oldest waiting batches (at most `most`) in one transaction."""
    newest, low, high = ReceivedBatch.objects.aggregate(
        Max("pk"), Min("first_measured_at"), Max("last_measured_at")).values()
    if newest is None:
        return Folded()
    partitioning.ensure_partitions(low, high)  # committed before the fold's transaction
    now = timezone.now()
    try:
        with transaction.atomic():
            # Only batches the partitions were made for: those there when it was looked.
            taken = list(ReceivedBatch.objects.select_for_update(skip_locked=True)
                         .filter(pk__lte=newest).order_by("pk")
                         .values_list("pk", "token_id", "location_id", "received_at", "items")
                         [:most])
            if not taken:
                return Folded()
            _lock_locations(sorted({location_id for _, _, location_id, _, _ in taken}))
            tokens = {t.pk: t for t in DeviceToken.objects.filter(
                pk__in={token_id for _, token_id, _, _, _ in taken})}
            rows, duplicates = _rows(taken, tokens)
            stage = Stage(STAGE, STAGE_COLUMNS)
            stage.insert(rows)
            _forget_lines_gone(stage)
            duplicates += _drop_stored(stage)
            added = _insert(stage)
            rollups.add_staged(stage)
            _record(added, tokens, taken, now)
            ReceivedBatch.objects.filter(pk__in=[pk for pk, *_ in taken]).delete()
    finally:
        Stage.drop_table(STAGE)
    return Folded(len(taken), sum(added.values()), duplicates)


def waiting(location_ids: Iterable[int] | None = None) -> int:
    """How many received measurements (of these locations) wait to be folded."""
    batches = ReceivedBatch.objects.all()
    if location_ids is not None:
        batches = batches.filter(location_id__in=list(location_ids))
    return int(batches.aggregate(n=Sum("count"))["n"] or 0)


def _lock_locations(location_ids: Sequence[int]) -> None:
    """Hold the locations' rows until the fold commits (PostgreSQL; SQLite has one writer)."""
    if vendor() != "postgresql":
        return
    with connection.cursor() as cursor:
        for start in range(0, len(location_ids), 500):
            chunk = location_ids[start:start + 500]
            marks = ", ".join("%s" for _ in chunk)
            cursor.execute(f"SELECT id FROM registry_location WHERE id IN ({marks}) "
                           "ORDER BY id FOR UPDATE", chunk)


def _rows(taken: Sequence[tuple[Any, ...]],
          tokens: dict[int, DeviceToken]) -> tuple[list[tuple[Any, ...]], int]:
    """The staged rows of the batches' items, each key once (the first received); and how
    many items repeated a key earlier in the fold."""
    postgresql = vendor() == "postgresql"
    seen: set[tuple[int, str, str, str]] = set()
    rows: list[tuple[Any, ...]] = []
    repeated = 0
    for _pk, token_id, location_id, received_at, items in taken:
        device = tokens[token_id].device
        received = _stored_moment(received_at, postgresql)
        for item in items:
            at, kind, path, line_id, download, upload, latency, jitter, loss, up = item
            moment = datetime.fromisoformat(at)
            key = (location_id, device, moment.isoformat(), kind)
            if key in seen:
                repeated += 1
                continue
            seen.add(key)
            rows.append((len(rows), location_id, device, _stored_moment(moment, postgresql),
                         schoolhours.local_day(moment).isoformat(),
                         schoolhours.in_school_hours(moment), kind, path, line_id, download,
                         upload, latency, jitter, loss, up, True, token_id, received))
    return rows, repeated


def _stored_moment(moment: datetime, postgresql: bool) -> str:
    """A moment as staged text the table's column reads back (as the file import stages it)."""
    utc = moment.astimezone(UTC)
    return utc.isoformat(sep=" ") if postgresql else str(utc.replace(tzinfo=None))


def _moment(column: str) -> str:
    """SQL reading a staged moment as the table's column type."""
    return f"CAST({column} AS timestamptz)" if vendor() == "postgresql" else column


def _forget_lines_gone(stage: Stage) -> None:
    """A line removed since its items were received: they keep no line, as the rows of a
    removed line do (on_delete SET_NULL), rather than stop every fold after them."""
    table = quote(stage.name)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET line_id = NULL WHERE line_id IS NOT NULL AND NOT "
                       f"EXISTS (SELECT 1 FROM connectivity_subscription c "
                       f"WHERE c.id = {table}.line_id)")


def _drop_stored(stage: Stage) -> int:
    """Mark the staged rows whose key is stored already; how many."""
    table = quote(stage.name)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET fresh = %s WHERE fresh AND EXISTS (SELECT 1 FROM "
            f"measurements_measurement m WHERE m.location_id = {table}.location_id "
            f"AND m.device = {table}.device AND m.kind = {table}.kind "
            f"AND m.measured_at = {_moment(table + '.measured_at')})", [False])
        return max(cursor.rowcount, 0)


def _insert(stage: Stage) -> dict[int, int]:
    """Insert the fresh staged rows; how many for each token."""
    table = quote(stage.name)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO measurements_measurement (location_id, device, measured_at, kind, "
            "path, line_id, download_mbps, upload_mbps, latency_ms, jitter_ms, loss_pct, "
            "reachable, received_at, token_id, import_run_id) "
            f"SELECT s.location_id, s.device, {_moment('s.measured_at')}, s.kind, s.path, "
            "s.line_id, s.download, s.upload, s.latency, s.jitter, s.loss, s.reachable, "
            f"{_moment('s.received_at')}, s.token_id, NULL FROM {table} s WHERE s.fresh")
    return {int(token_id): int(n) for token_id, n in fetch(
        f"SELECT token_id, count(*) FROM {table} WHERE fresh GROUP BY token_id")}


def _record(added: dict[int, int], tokens: dict[int, DeviceToken],
            taken: Sequence[tuple[Any, ...]], now: datetime) -> None:
    """One audit entry per device that added rows; each token's last use, now and then."""
    for token_id, rows in sorted(added.items()):
        token = tokens[token_id]
        audit(f"device {token.device} ({token.prefix}…)", now, AuditEntry.Action.CREATE,
              Measurement, "*", {"rows": (None, rows)})
    last: dict[int, datetime] = defaultdict(lambda: datetime.min.replace(tzinfo=UTC))
    for _pk, token_id, _location_id, received_at, _items in taken:
        last[token_id] = max(last[token_id], received_at)
    used = []
    for token_id, at in last.items():
        token = tokens[token_id]
        if token.last_used_at is None or token.last_used_at < at - USE_RECORDED_EVERY:
            token.last_used_at = at
            used.append(token)
    DeviceToken.objects.bulk_update(used, ["last_used_at"], batch_size=500)
