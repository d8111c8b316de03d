"""Merging a large file in slices on SQLite, so that other users' writes never wait long.

SQLite lets one connection write at a time, for the whole database. A million-row school list
takes about fifteen seconds to merge; in one transaction every login and autosave would wait
that long. So on SQLite a contract that names a `slice_by` column (rows with the same value must
be merged together, e.g. an institution's locations) and a file of more than
IMPORT_MERGE_SLICE_ROWS rows is merged in slices of about that many rows, each slice its own
short transaction; other writers get in between two slices.

All or nothing still holds, through an undo journal (`MergeUndo`) written in each slice's own
transaction: the rowid range each table received, and (by temporary triggers on this connection
only) the values of every row before the slice changed it. When the last slice is in, the journal
is dropped and the run marked succeeded in one transaction. If a slice fails, the slices before
it are taken back at once; if the process dies, they are taken back when the next import or the
server starts (core/unfinished.py). While a file is being merged, readers may see the slices
merged so far: the run says "running" until the whole file is in.

PostgreSQL locks rows, not the database: there the merge is always one transaction. A large
file with someone to tell how far it is (a job's page, the terminal) is merged in steps
(each sized to take about STEP_SECONDS at the rate of the step before, `next_step_rows`) inside
that one transaction (`merge_in_steps`), each step told as it ends, so the
rows written move while the transaction runs (a job writes them through a connection of its own,
jobs/tasks.py); nothing is journalled there, the transaction takes back every step.

The set-based checks of a large file run in steps too, on both databases (`check_steps`: ranges
of the stage's lines, each told as it ends through `checks_told`, which the pipeline sets around
a contract's `check`), so the rows checked move instead of a silence of seconds over the whole
stage; `RepeatedKeys` finds the lines whose key an earlier line has, step by step.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction

from ictmonitor.core.bulk import Counts, Stage, count, fetch, quote
from ictmonitor.core.models import AuditEntry, ImportRun, MergeUndo

if TYPE_CHECKING:
    from ictmonitor.core.pipeline import Contract

# A pause for writers waiting for the lock to get in, once the slices since the last pause
# have held the lock this long: a writer waits at most about that (and one slice), and a
# large file does not spend a tenth of a second per slice sleeping.
PAUSE_BETWEEN_SLICES = 0.1
HOLD_BEFORE_PAUSE = 0.4
# PostgreSQL's steps serve the progress only (nobody waits for them): a file in at least about
# 20 steps of at most 50,000 rows, each sized after the one before to take about STEP_SECONDS
# (a step's rows cost what the machine's load makes them: 2 to 6 s for 50,000 new lines).
STEPS = 20
STEP_ROWS = 50_000
STEP_SECONDS = 0.75
FIRST_STEP_ROWS = 10_000


def is_sliced(contract: Contract, rows: int) -> bool:
    """Whether this file is merged in slices: SQLite, a contract that allows it, a large file,
    and no transaction already open around the import (then that one decides)."""
    return (connection.vendor == "sqlite" and contract.slice_by is not None
            and bool(contract.merge_tables) and not connection.in_atomic_block
            and rows > settings.IMPORT_MERGE_SLICE_ROWS)


def is_stepped(contract: Contract, rows: int) -> bool:
    """Whether this file is merged in steps inside its one transaction (PostgreSQL): a contract
    that allows slices and a large file (the caller asks only when someone is told the steps)."""
    return (connection.vendor == "postgresql" and contract.slice_by is not None
            and bool(contract.merge_tables) and rows > settings.IMPORT_MERGE_SLICE_ROWS)


def merge_in_steps(contract: Contract, stage: Stage, run: ImportRun,
                   finish: Callable[[Counts], None], merged: Callable[[int], None]) -> None:
    """Merge the staged rows in steps (`next_step_rows`), all in one transaction with `finish`;
    `merged(rows)` is told after each step how many rows are in so far (inside the
    transaction: what it writes must go through another connection to be seen before the
    end). A failure takes back every step, as a merge at once."""
    key = contract.slice_by
    assert key is not None
    stage.index(key)
    merging = _Merging(contract, run)
    most = step_rows(count(f"SELECT count(*) FROM {quote(stage.name)}"))
    # The first step small (the writing starts with the stage's index and its statistics, and
    # its first rows should be told soon); then as the steps go.
    size = [min(settings.IMPORT_MERGE_SLICE_ROWS, FIRST_STEP_ROWS)]
    with transaction.atomic():
        # Each step's foreign keys checked as it ends, not all of them at the commit (Django's
        # are deferred): the same work, told with its step instead of a silence at the end.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for low, high in _bounds(stage, key, lambda: size[0]):
            started, before = time.monotonic(), merging.rows
            part = _slice(stage, key, low, high)
            merging.add(part)
            Stage.drop_table(part.name)
            merged(merging.rows)
            size[0] = next_step_rows(merging.rows - before, time.monotonic() - started, most)
        _one_create_entry_per_table(run)
        run.details = merging.details
        finish(merging.total)


def step_rows(rows: int) -> int:
    """Rows in a step of PostgreSQL's merge: about STEPS of the file, at most STEP_ROWS (each
    step is told as it ends, within a second or so), never fewer than IMPORT_MERGE_SLICE_ROWS
    (each step costs its own statements)."""
    return max(settings.IMPORT_MERGE_SLICE_ROWS, min(rows // STEPS, STEP_ROWS))


# Whom the checks' steps are told to (rows checked so far): set by the pipeline around a
# contract's `check` (`checks_told`); nobody outside it.
_checks_told: ContextVar[Callable[[int], None] | None] = ContextVar("checks_told", default=None)


@contextlib.contextmanager
def checks_told(told: Callable[[int], None] | None) -> Iterator[None]:
    """Within: each step of `check_steps` ends by telling `told` the rows checked so far."""
    token = _checks_told.set(told)
    try:
        yield
    finally:
        _checks_told.reset(token)


def check_steps(stage: Stage) -> Iterator[tuple[int, int]]:
    """(after, up to and including) line ranges cutting the staged rows into steps of about
    `step_rows` for the set-based checks, which run each statement over one range at a time
    (`line > after AND line <= up_to`); after each step the rows checked so far are told (see
    `checks_told`). A file of at most IMPORT_MERGE_SLICE_ROWS rows is one step."""
    table = quote(stage.name)
    rows = count(f"SELECT count(*) FROM {table}")
    told = _checks_told.get()
    if rows <= settings.IMPORT_MERGE_SLICE_ROWS:
        yield -1, 2**62
        if told:
            told(rows)
        return
    stage.index("line")  # each step finds its rows by their lines
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(line), max(line) FROM {table}")
        first, last = (int(n) for n in cursor.fetchone())
    span = last - first + 1
    width = max(1, span * step_rows(rows) // rows)  # lines of a step: nearly every line a row
    for low in range(first - 1, last, width):
        high = min(low + width, last)
        yield low, high
        if told:
            told(rows * (high - first + 1) // span)


class RepeatedKeys:
    """The lines whose key (columns of the stage) an earlier line of the file has already,
    found step by step over `check_steps`' ranges in line order. On SQLite each key's first
    line is kept in a temporary table with the key unique, so a step reads only its own rows
    and that table, never the whole stage. On PostgreSQL, where inserting a million keys into
    that table one step at a time costs eight times one grouping of the stage (4.7 s against
    0.6 s for a million lines), the table holds only the keys the stage repeats, each with its
    first line, found by that one grouping before the first step. Use as a context manager
    (the table goes at its end)."""

    def __init__(self, stage: Stage, key: Sequence[str]) -> None:
        self.stage, self.key = stage, list(key)
        self.table = quote(f"{stage.name}_keys")
        self.grouped = connection.vendor == "postgresql"

    def __enter__(self) -> RepeatedKeys:
        columns = ", ".join(quote(c) for c in self.key)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            if self.grouped:
                cursor.execute(f"CREATE TEMPORARY TABLE {self.table} AS SELECT {columns}, "
                               f"min(line) AS first FROM {quote(self.stage.name)} GROUP BY "
                               f"{columns} HAVING count(*) > 1")
                cursor.execute(f"ANALYZE {self.table}")  # a handful of rows, or none
                return self
            cursor.execute(f"CREATE TEMPORARY TABLE {self.table} AS SELECT {columns}, line AS "
                           f"first FROM {quote(self.stage.name)} WHERE 1 = 0")
            cursor.execute(f"CREATE UNIQUE INDEX {quote(self.stage.name + '_keys_key')} ON "
                           f"{self.table} ({columns})")
        return self

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def within(self, after: int, up_to: int) -> list[tuple[int, int]]:
        """(line, the first line of its key) for each line of the range whose key an earlier
        line has, in line order; the ranges must come in line order, each once."""
        columns = ", ".join(quote(c) for c in self.key)
        same = " AND ".join(f"k.{quote(c)} = s.{quote(c)}" for c in self.key)
        stage = quote(self.stage.name)
        with connection.cursor() as cursor:
            if not self.grouped:
                # A key's first line is the first one inserted, in line order (the step's rows
                # in the order of the line index, no grouping): a later one leaves it.
                cursor.execute(f"INSERT INTO {self.table} ({columns}, first) SELECT {columns}, "
                               f"line FROM {stage} WHERE line > %s AND line <= %s ORDER BY line "
                               f"ON CONFLICT ({columns}) DO NOTHING", [after, up_to])
            cursor.execute(f"SELECT s.line, k.first FROM {stage} s JOIN {self.table} k ON "
                           f"{same} WHERE s.line > %s AND s.line <= %s AND s.line <> k.first "
                           f"ORDER BY s.line", [after, up_to])
            return [(int(line), int(first)) for line, first in cursor.fetchall()]


def next_step_rows(rows: int, seconds: float, most: int) -> int:
    """Rows in PostgreSQL's next step, at the rate of the last one (`rows` in `seconds`): about
    STEP_SECONDS of them, no more than `most` (`step_rows`), no fewer than
    IMPORT_MERGE_SLICE_ROWS (each step costs its own statements)."""
    least = settings.IMPORT_MERGE_SLICE_ROWS
    wanted = int(rows * STEP_SECONDS / seconds) if seconds > 0 else most
    return max(least, min(wanted, most))


class _Merging:
    """The counts and details of a file merged slice by slice (or step by step), added up."""

    def __init__(self, contract: Contract, run: ImportRun) -> None:
        self.contract, self.run = contract, run
        self.total = Counts()
        self.details: dict[str, Any] = {}

    def add(self, part: Stage) -> None:
        """Merge one slice's staged rows."""
        self.run.details = {}
        self.total += self.contract.merge(part, self.run)
        self.details = _added(self.details, self.run.details)

    @property
    def rows(self) -> int:
        """Rows merged so far."""
        return self.total.created + self.total.updated + self.total.unchanged


def merge_in_slices(contract: Contract, stage: Stage, run: ImportRun,
                    finish: Callable[[Counts], None],
                    merged: Callable[[int], None] | None = None) -> None:
    """Merge the staged rows slice by slice; `finish` runs in the last transaction, with the
    journal's removal; `merged(rows)` is told after each slice how many rows are in so far. On
    any failure the slices merged so far are taken back, then it raises."""
    key = contract.slice_by
    assert key is not None
    tables = list(contract.merge_tables)
    stage.index(key)
    merging = _Merging(contract, run)
    _watch_updates(run, tables)
    held = 0.0
    try:
        for low, high in _bounds(stage, key, lambda: settings.IMPORT_MERGE_SLICE_ROWS):
            part = _slice(stage, key, low, high)
            started = time.monotonic()
            with transaction.atomic():
                before = _last_rowids(tables)
                merging.add(part)
                _journal_inserts(run, tables, before)
            Stage.drop_table(part.name)
            if merged:
                merged(merging.rows)
            # SQLite's busy handler polls (sleeping up to 100 ms), it does not queue: without a
            # pause the next slice may take the lock again before a waiting writer wakes up.
            held += time.monotonic() - started
            if held >= HOLD_BEFORE_PAUSE:
                time.sleep(PAUSE_BETWEEN_SLICES)
                held = 0.0
        with transaction.atomic():
            _one_create_entry_per_table(run)
            MergeUndo.objects.filter(run=run).delete()
            run.details = merging.details
            finish(merging.total)
    except BaseException:
        _unwatch_updates(tables)
        take_back(run)
        raise
    finally:
        _unwatch_updates(tables)


def take_back(run: ImportRun) -> int:
    """Undo what the merged slices of a run wrote, newest first, and its audit entries; how
    many journal steps were applied. Nothing to do for a run merged in one transaction."""
    steps = list(MergeUndo.objects.filter(run=run).order_by("-id"))
    if not steps:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        for step in steps:
            table = quote(step.table_name)
            if step.kind == MergeUndo.Kind.INSERTED:
                cursor.execute(f"DELETE FROM {table} WHERE rowid > %s AND rowid <= %s",
                               [step.first_row, step.last_row])
            else:
                names = list(step.old or {})
                sets = ", ".join(f"{quote(n)} = %s" for n in names)
                cursor.execute(f"UPDATE {table} SET {sets} WHERE rowid = %s",
                               [*(step.old or {}).values(), step.first_row])
        AuditEntry.objects.filter(import_run=run).delete()
        MergeUndo.objects.filter(run=run).delete()
    return len(steps)


def _bounds(stage: Stage, key: str, size: Callable[[], int]) -> Iterator[tuple[Any, Any]]:
    """(after, up to and including) key values cutting the stage into slices of about `size()`
    rows (asked as each slice is cut); rows with one key value are never split. The key's
    counts are read whole first: the slices write while this goes on."""
    low, rows, last = None, 0, None
    for value, found in list(fetch(f"SELECT {quote(key)}, count(*) FROM {quote(stage.name)} "
                                   f"GROUP BY {quote(key)} ORDER BY {quote(key)}")):
        rows += found
        last = value
        if rows >= size():
            yield low, value
            low, rows = value, 0
    if rows:
        yield low, last


def _slice(stage: Stage, key: str, low: Any, high: Any) -> Stage:
    """A staging table of the rows whose key lies in (low, high]."""
    part = Stage(f"{stage.name}_slice", stage.columns[1:])
    where = f"{quote(key)} <= %s" + ("" if low is None else f" AND {quote(key)} > %s")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(part.name)} SELECT * FROM {quote(stage.name)} "
                       f"WHERE {where}", [high] if low is None else [high, low])
    return part


def _last_rowids(tables: Sequence[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for table in tables:
            cursor.execute(f"SELECT coalesce(max(rowid), 0) FROM {quote(table)}")
            found[table] = int(cursor.fetchone()[0])
    return found


def _journal_inserts(run: ImportRun, tables: Sequence[str], before: Mapping[str, int]) -> None:
    """The rows this slice inserted: rowids above the largest before it (only this connection
    writes while the slice's transaction is open)."""
    after = _last_rowids(tables)
    MergeUndo.objects.bulk_create(
        MergeUndo(run=run, table_name=table, kind=MergeUndo.Kind.INSERTED,
                  first_row=before[table], last_row=after[table])
        for table in tables if after[table] > before[table]
    )


def _trigger(table: str) -> str:
    return quote(f"undo_{table}")


def _watch_updates(run: ImportRun, tables: Sequence[str]) -> None:
    """Temporary triggers (this connection only) that journal a row's values before this
    import changes it."""
    undo = quote(MergeUndo._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            columns = [c.name for c in connection.introspection.get_table_description(
                cursor, table)]
            values = ", ".join(f"'{c}', OLD.{quote(c)}" for c in columns)
            cursor.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS {_trigger(table)} AFTER UPDATE ON "
                f"main.{quote(table)} BEGIN INSERT INTO {undo} "
                f"(run_id, table_name, kind, first_row, last_row, old) VALUES ({int(run.pk)}, "
                f"'{table}', '{MergeUndo.Kind.UPDATED.value}', OLD.rowid, OLD.rowid, "
                f"json_object({values})); END"
            )


def _unwatch_updates(tables: Sequence[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TRIGGER IF EXISTS temp.{_trigger(table)}")


def _one_create_entry_per_table(run: ImportRun) -> None:
    """Each slice counted its new rows in an entry per table; the log keeps one per table and
    run, as for a file merged at once."""
    entries = AuditEntry.objects.filter(import_run=run, action=AuditEntry.Action.CREATE,
                                        object_key="*").order_by("id")
    first: dict[str, AuditEntry] = {}
    rows: dict[str, int] = {}
    for entry in entries:
        first.setdefault(entry.table, entry)
        rows[entry.table] = rows.get(entry.table, 0) + int(entry.changes.get("rows", 0))
    for table, entry in first.items():
        entries.filter(table=table).exclude(pk=entry.pk).delete()
        AuditEntry.objects.filter(pk=entry.pk).update(changes={"rows": rows[table]})


def _added(total: dict[str, Any], part: Mapping[str, Any]) -> dict[str, Any]:
    """Two runs' details added up: numbers summed, nested counts too."""
    merged = dict(total)
    for name, value in part.items():
        if isinstance(value, Mapping):
            merged[name] = _added(merged.get(name, {}), value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            merged[name] = merged.get(name, 0) + value
        else:
            merged[name] = value
    return merged
