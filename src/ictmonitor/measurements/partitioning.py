"""The raw measurements' table by month on PostgreSQL (pg_partman), and how long raw rows stay.

On PostgreSQL `measurements_measurement` is partitioned by range of `measured_at`, one partition
per calendar month (UTC), managed by pg_partman (Debian's `postgresql-NN-partman`; versions 4
and 5 both work): migration 0002 turns the plain table into the partitioned one. Every insert
(an agent's batch, a file) first makes sure the months it writes have their partition, so the
default partition stays empty and a month's partition can always be made later.

Raw rows are kept MEASUREMENTS_RETENTION_DAYS days (ICTMONITOR_MEASUREMENT_RETENTION_DAYS,
default 400); the day rollups are kept for ever. `prune` drops on PostgreSQL the partitions whose
whole month is older than that (pg_partman's retention, at maintenance, which also makes the
coming months' partitions), and on SQLite deletes the older rows in short batches.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

TABLE = "measurements_measurement"
PARENT = f"public.{TABLE}"
PREMAKE = 4  # months made ahead at maintenance
DELETE_BATCH = 10_000
PARTITION_LOCK = 7_301_160  # the advisory lock a connection holds while it makes partitions


class PartmanMissing(RuntimeError):
    """PostgreSQL has no pg_partman extension to install."""


def retention_days() -> int:
    """How many days raw measurements are kept (rollups are kept for ever)."""
    return int(getattr(settings, "MEASUREMENTS_RETENTION_DAYS", 400))


def parse_moment(value: Any) -> datetime:
    """A moment the database gave back (a datetime, or text: SQLite's naive UTC, or with an
    offset) as an aware datetime."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def is_partitioned() -> bool:
    """Whether the raw table is partitioned here (PostgreSQL after migration 0002)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c "
                       "ON c.oid = p.partrelid WHERE c.relname = %s "
                       "AND c.relnamespace = 'public'::regnamespace", [TABLE])
        return cursor.fetchone() is not None


def months(low: datetime, high: datetime) -> list[datetime]:
    """The first moments (UTC) of the calendar months from low's to high's."""
    first = low.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last = high.astimezone(UTC)
    found = []
    while first <= last:
        found.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return found


def ensure_partitions(low: datetime, high: datetime) -> list[str]:
    """Make the partitions of the months from low to high that are missing (PostgreSQL); the
    names made. Run before rows of those months go in."""
    if not is_partitioned():
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        missing = _missing(cursor, low, high)
        if missing:
            # Two posts of a month not yet made would each make its partition and deadlock
            # in the catalogue: one connection at a time (until its transaction ends), the
            # next finding the partition made.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PARTITION_LOCK])
            missing = _missing(cursor, low, high)
        if missing:
            cursor.execute("SELECT partman.create_partition_time(%s, %s::timestamptz[])",
                           [PARENT, [m for m, _ in missing]])
    return [name for _, name in missing]


def _missing(cursor: Any, low: datetime, high: datetime) -> list[tuple[datetime, str]]:
    """The months from low to high with no partition yet, and their partitions' names."""
    missing = []
    for month in months(low, high):
        cursor.execute("SELECT partition_table, table_exists FROM "
                       "partman.show_partition_name(%s, %s)", [PARENT, month.isoformat()])
        name, exists = cursor.fetchone()
        if not exists:
            missing.append((month, name))
    return missing


def ensure_for(moments: Iterable[datetime]) -> None:
    """ensure_partitions for the months of these moments."""
    found = list(moments)
    if found:
        ensure_partitions(min(found), max(found))


def partitions() -> list[str]:
    """The raw table's partitions (PostgreSQL), oldest first; [] when it is a plain table."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT partition_tablename FROM partman.show_partitions(%s)", [PARENT])
        return [row[0] for row in cursor.fetchall()]


def prune(days: int | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Remove raw measurements older than `days` (default: the setting); rollups stay. Returns
    what went: partitions dropped (PostgreSQL) and rows deleted."""
    days = retention_days() if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    if is_partitioned():
        before = partitions()
        with connection.cursor() as cursor:
            # Checks deferred to the commit (foreign keys of rows written earlier in this
            # transaction) run now: a table with such events pending cannot be dropped.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Rows a bulk insert put in the default partition (its month had no partition yet)
            # move to their month's partition, made for them; otherwise that month could
            # never get one.
            cursor.execute(f"SELECT count(DISTINCT date_trunc('month', measured_at)) "
                           f"FROM {TABLE}_default")
            strays = cursor.fetchone()[0]
            if strays:
                cursor.execute("SELECT partman.partition_data_time(%s, %s)",
                               [PARENT, strays + 1])
            cursor.execute("UPDATE partman.part_config SET retention = %s, "
                           "retention_keep_table = false, premake = %s WHERE parent_table = %s",
                           [f"{days} days", PREMAKE, PARENT])
            cursor.execute("SELECT partman.run_maintenance(%s)", [PARENT])
            # Anything in the default partition (none, as inserts make their month first).
            cursor.execute(f"DELETE FROM {TABLE}_default WHERE measured_at < %s", [cutoff])
            deleted = cursor.rowcount
        dropped = sorted(set(before) - set(partitions()))
        return {"partitions_dropped": dropped, "rows_deleted": deleted, "cutoff": cutoff}
    return {"partitions_dropped": [], "rows_deleted": _delete_in_batches(cutoff),
            "cutoff": cutoff}


def _delete_in_batches(cutoff: datetime) -> int:
    """Delete rows measured before the cutoff, DELETE_BATCH at a time, each batch its own short
    transaction (SQLite has one writer: a login waits a batch, not the whole delete); one pass
    over the table in id order."""
    stamp = connection.ops.adapt_datetimefield_value(cutoff)
    last, deleted = 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT max(id) FROM (SELECT id FROM {TABLE} WHERE id > %s "
                           "AND measured_at < %s ORDER BY id LIMIT %s) batch",
                           [last, stamp, DELETE_BATCH])
            upper = cursor.fetchone()[0]
            if upper is None:
                return deleted
            cursor.execute(f"DELETE FROM {TABLE} WHERE id > %s AND id <= %s "
                           "AND measured_at < %s", [last, upper, stamp])
            deleted += cursor.rowcount
            last = upper


# ---------------------------------------------------------------------------------------------
# Migration 0002: the plain table becomes the partitioned one (PostgreSQL only).

def partman_version(cursor: Any) -> tuple[int, ...] | None:
    """The installed pg_partman's version, or None."""
    cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'")
    row = cursor.fetchone()
    return tuple(int(p) for p in row[0].split(".") if p.isdigit()) if row else None


def install_partman(cursor: Any) -> tuple[int, ...]:
    """CREATE EXTENSION pg_partman in its own schema `partman`; a clear error if the server
    has none to install."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_partman'")
    if cursor.fetchone() is None:
        raise PartmanMissing(
            "PostgreSQL has no pg_partman extension: install the package postgresql-NN-partman "
            "(NN the server's major version; `make system-deps` does) and migrate again.")
    cursor.execute("CREATE SCHEMA IF NOT EXISTS partman")
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman")
    version = partman_version(cursor)
    assert version is not None
    return version


def partition_table(apps: Any, schema_editor: Any) -> None:
    """Rebuild `measurements_measurement` as a table partitioned by month of measured_at,
    with the same columns, keys (the primary key becomes (id, measured_at), as a partitioned
    table's unique keys must hold its partition key), foreign keys and indexes, and its rows."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        version = install_partman(cursor)
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass",
                       [PARENT])
        if cursor.fetchone() is not None:  # partitioned already (migrated back and forth)
            return
        cursor.execute("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass ORDER BY contype DESC, conname", [PARENT])
        constraints = cursor.fetchall()
        cursor.execute("SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                       "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                       "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                       "WHERE c.conindid = x.indexrelid)", [PARENT])
        indexes = cursor.fetchall()
        plain = f"{TABLE}_plain"
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {plain}")
        for name, kind, _definition in constraints:
            if kind in ("p", "u", "f"):
                cursor.execute(f'ALTER TABLE {plain} RENAME CONSTRAINT "{name}" TO "{name}_plain"')
        for name, _definition in indexes:
            cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{name}_plain"')
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {plain} INCLUDING DEFAULTS INCLUDING IDENTITY "
                       "INCLUDING STORAGE) PARTITION BY RANGE (measured_at)")
        for name, kind, definition in constraints:
            if kind == "p":
                cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" '
                               "PRIMARY KEY (id, measured_at)")
            elif kind in ("u", "f"):
                cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute(f"SELECT min(measured_at), max(measured_at), max(id) FROM {plain}")
        low, high, top = cursor.fetchone()
        # From the oldest row kept, or as far back as raw rows are kept: what is written to
        # months before that gets its partition at the time (ensure_partitions).
        now = timezone.now()
        earliest = now - timedelta(days=retention_days())
        start = months(min(low, earliest) if low else earliest, now)[0]
        if version >= (5,):
            cursor.execute("SELECT partman.create_parent(p_parent_table := %s, "
                           "p_control := 'measured_at', p_interval := '1 month', "
                           "p_type := 'range', p_premake := %s, p_start_partition := %s)",
                           [PARENT, PREMAKE, start.isoformat()])
        else:
            cursor.execute("SELECT partman.create_parent(p_parent_table := %s, "
                           "p_control := 'measured_at', p_type := 'native', "
                           "p_interval := 'monthly', p_premake := %s, "
                           "p_start_partition := %s, p_jobmon := false)",
                           [PARENT, PREMAKE, start.isoformat()])
        cursor.execute("UPDATE partman.part_config SET retention = %s, "
                       "retention_keep_table = false WHERE parent_table = %s",
                       [f"{retention_days()} days", PARENT])
        if low is not None:
            _ensure_with(cursor, months(low, max(high, now)))
            cursor.execute(f"INSERT INTO {TABLE} OVERRIDING SYSTEM VALUE SELECT * FROM {plain}")
        cursor.execute(f"DROP TABLE {plain}")
        if top is not None:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [TABLE, top])


def _ensure_with(cursor: Any, wanted: list[datetime]) -> None:
    cursor.execute("SELECT partman.create_partition_time(%s, %s::timestamptz[])",
                   [PARENT, wanted])
