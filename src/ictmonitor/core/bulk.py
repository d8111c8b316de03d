"""Set-based writes: a staging table filled with the database's bulk path, then one upsert.

The same SQL runs on SQLite and PostgreSQL; only the way rows reach the staging table differs
(PostgreSQL `COPY`, SQLite `executemany`). A stage whose rows hold values of its columns' types
(`binary`) is copied in COPY's binary format on PostgreSQL: each value is packed as its column's
type, not written as text for the server to parse, in about a third of the time of a row.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from ictmonitor.core.models import AuditEntry, ImportRun

TEXT, INT, BIGINT, DATE, BOOL, FLOAT = "text", "integer", "bigint", "date", "boolean", "double"
_SQL_TYPES = {
    "postgresql": {
        TEXT: "text",
        INT: "integer",
        BIGINT: "bigint",
        DATE: "date",
        BOOL: "boolean",
        FLOAT: "double precision",
    },
    "sqlite": {
        TEXT: "text",
        INT: "integer",
        BIGINT: "integer",
        DATE: "text",
        BOOL: "integer",
        FLOAT: "real",
    },
}
# The PostgreSQL type each column's values are packed as in a binary COPY.
_COPY_TYPES = {TEXT: "text", INT: "int4", BIGINT: "int8", DATE: "date", BOOL: "bool",
               FLOAT: "float8"}


def vendor() -> str:
    """'postgresql' or 'sqlite'."""
    return connection.vendor


def quote(name: str) -> str:
    """A quoted SQL identifier."""
    return connection.ops.quote_name(name)


class Stage:
    """A temporary table holding one file's validated rows until they are merged.

    `binary`: each row's values are of its columns' types (a whole number for an integer
    column, a bool for a boolean, a float for a double, a `date` for a date, not its ISO text;
    or None), so PostgreSQL takes them in COPY's binary format."""

    def __init__(self, name: str, columns: Sequence[tuple[str, str]], *,
                 binary: bool = False) -> None:
        self.name = name
        self.columns = [("line", INT), *columns]
        self.binary = binary and vendor() == "postgresql"
        types = _SQL_TYPES[vendor()]
        spec = ", ".join(f"{quote(c)} {types[t]}" for c, t in self.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE TEMPORARY TABLE {quote(name)} ({spec})")

    def insert(self, rows: Sequence[Sequence[Any]]) -> None:
        """Add rows (each starting with its line number) with the database's bulk path."""
        names = ", ".join(quote(c) for c, _ in self.columns)
        with connection.cursor() as cursor:
            if self.binary:
                self._copy_binary(cursor.cursor, names, rows)
            elif vendor() == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.name)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("%s" for _ in self.columns)
                # Outside a transaction each row would commit on its own: one plain (deferred)
                # transaction per batch touches only the connection's temporary database, so
                # it never takes the write lock of the real one (an IMMEDIATE one would).
                own = not connection.in_atomic_block
                if own:
                    cursor.execute("BEGIN")
                try:
                    cursor.executemany(
                        f"INSERT INTO {quote(self.name)} ({names}) VALUES ({marks})", rows
                    )
                except BaseException:
                    if own:
                        cursor.execute("ROLLBACK")
                    raise
                if own:
                    cursor.execute("COMMIT")

    def _copy_binary(self, cursor: Any, names: str, rows: Sequence[Sequence[Any]]) -> None:
        types = [_COPY_TYPES[kind] for _, kind in self.columns]
        with cursor.copy(f"COPY {quote(self.name)} ({names}) FROM STDIN (FORMAT BINARY)"
                         ) as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)

    def index(self, *columns: str) -> None:
        """Index the staging table for the joins of the checks and the merge."""
        cols = ", ".join(quote(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {quote(self.name + '_' + '_'.join(columns))} "
                           f"ON {quote(self.name)} ({cols})")
            if vendor() == "postgresql":
                cursor.execute(f"ANALYZE {quote(self.name)}")

    @staticmethod
    def drop_table(name: str) -> None:
        """Remove a staging table if it exists (after a refused or failed import too)."""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}")


def fetch(sql: str, params: Sequence[Any] = (), size: int = 5000) -> Iterator[tuple]:
    """Stream the rows of a query in chunks."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(size):
            yield from chunk


def repeated_keys(stage: Stage, key: Sequence[str]) -> Iterator[tuple[int, int]]:
    """(line, the line it repeats) for each staged row whose key an earlier line has already,
    in line order: a key may appear once in a file."""
    table = quote(stage.name)
    columns = ", ".join(key)
    same = " AND ".join(f"d.{c} = s.{c}" for c in key)
    return fetch(
        f"SELECT s.line, d.first FROM {table} s JOIN (SELECT {columns}, min(line) AS first "
        f"FROM {table} GROUP BY {columns} HAVING count(*) > 1) d ON {same} "
        f"WHERE s.line <> d.first ORDER BY s.line"
    )


def count(sql: str, params: Sequence[Any] = ()) -> int:
    """The number a counting query returns."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


@dataclass
class Counts:
    """What an upsert did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass(frozen=True)
class Upsert:
    """Merge the rows of `source` (a SELECT) into `table` on `key`, recording every change.

    `source` must give the key columns, the value columns and `audit_key`, a readable key for
    the audit log. `count_sql`, if given, is a cheaper query for how many rows `source` has.
    `first_only` columns (in `source` too) are written with a new row and never changed after:
    what a row keeps from the day it came (a line's catalogue version), set in the one insert
    instead of by an update of every new row after it.
    """

    table: str
    label: str
    key: Sequence[str]
    values: Sequence[str]
    source: str
    count_sql: str | None = None
    first_only: Sequence[str] = ()

    def run(self, run: ImportRun, now: datetime) -> Counts:
        """Insert new rows, update changed ones, leave equal ones alone; audit the changes."""
        join = " AND ".join(f"t.{quote(k)} = s.{quote(k)}" for k in self.key)
        differs = " OR ".join(f"t.{quote(v)} IS DISTINCT FROM s.{quote(v)}" for v in self.values)
        total = count(self.count_sql or f"SELECT count(*) FROM ({self.source}) s")
        updated = self._audit_changes(run, now, join, differs)
        # The write inserts new rows and updates changed ones: those not audited are new.
        created = self._write(run, now) - updated
        if created:
            AuditEntry.objects.create(
                at=now, actor=run.actor, user=run.user, action=AuditEntry.Action.CREATE,
                table=self.label, object_key="*", changes={"rows": created}, import_run=run,
            )
        return Counts(created, updated, total - created - updated)

    def _audit_changes(self, run: ImportRun, now: datetime, join: str, differs: str) -> int:
        olds = ", ".join(f"t.{quote(v)}" for v in self.values)
        news = ", ".join(f"s.{quote(v)}" for v in self.values)
        rows = fetch(
            f"SELECT s.audit_key, {olds}, {news} FROM ({self.source}) s "
            f"JOIN {quote(self.table)} t ON {join} WHERE {differs}"
        )
        width = len(self.values)
        count = 0
        encoder = DjangoJSONEncoder()
        for chunk in _chunks(rows, 2000):
            entries = []
            for row in chunk:
                old, new = row[1 : 1 + width], row[1 + width :]
                changes = {
                    name: [_plain(o, encoder), _plain(n, encoder)]
                    for name, o, n in zip(self.values, old, new, strict=True)
                    if _plain(o, encoder) != _plain(n, encoder)
                }
                entries.append(
                    AuditEntry(
                        at=now, actor=run.actor, user=run.user, action=AuditEntry.Action.UPDATE,
                        table=self.label, object_key=str(row[0]), changes=changes, import_run=run,
                    )
                )
            AuditEntry.objects.bulk_create(entries)
            count += len(entries)
        return count

    def _write(self, run: ImportRun, now: datetime) -> int:
        recorded = ["created_at", "updated_at", "changed_by", "import_run_id"]
        given = [*self.key, *self.values, *self.first_only]
        names = ", ".join(quote(c) for c in [*given, *recorded])
        picks = ", ".join(f"s.{quote(c)}" for c in given)
        table = quote(self.table)
        changed = " OR ".join(
            f"{table}.{quote(v)} IS DISTINCT FROM excluded.{quote(v)}" for v in self.values
        )
        sets = ", ".join(
            f"{quote(c)} = excluded.{quote(c)}"
            for c in [*self.values, "updated_at", "changed_by", "import_run_id"]
        )
        stamp = connection.ops.adapt_datetimefield_value(now)
        sql = (
            f"INSERT INTO {table} ({names}) SELECT {picks}, %s, %s, %s, %s "
            f"FROM ({self.source}) s WHERE true "
            f"ON CONFLICT ({', '.join(quote(k) for k in self.key)}) DO UPDATE SET {sets} "
            f"WHERE {changed}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [stamp, stamp, run.actor, run.pk])
            return cursor.rowcount


def insert_missing(table: str, key: str, columns: Sequence[str], source: str,
                   run: ImportRun | None = None, now: datetime | None = None) -> int:
    """Add rows whose key is not in `table` yet (boards, provinces); returns how many.

    With `run` and `now` the rows get the recorded columns (who, when, which import).
    """
    existing = count(f"SELECT count(*) FROM {quote(table)}")
    names = [key, *columns]
    picks = ", ".join(f"s.{quote(c)}" for c in names)
    params: list[Any] = []
    if run is not None and now is not None:
        names += ["created_at", "updated_at", "changed_by", "import_run_id"]
        stamp = connection.ops.adapt_datetimefield_value(now)
        picks += ", %s, %s, %s, %s"
        params = [stamp, stamp, run.actor, run.pk]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in names)}) SELECT {picks} "
            f"FROM ({source}) s WHERE true ON CONFLICT ({quote(key)}) DO NOTHING",
            params,
        )
    return count(f"SELECT count(*) FROM {quote(table)}") - existing


def _plain(value: object, encoder: DjangoJSONEncoder) -> object:
    """A value as it is stored in JSON (dates as ISO text, SQLite's 0/1 left as numbers)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return encoder.default(value)


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
