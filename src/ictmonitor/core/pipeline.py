"""The shared import pipeline: stream a file, validate in batches, refuse whole or load whole.

An importer declares a `Contract` (its columns, how one row is parsed, which set-based checks and
which merge to run); `run_import` does the rest, identically for every file kind.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ictmonitor.core import recognise, slices
from ictmonitor.core.bulk import Counts, Stage
from ictmonitor.core.cells import CellError
from ictmonitor.core.csvfiles import (
    MAX_CELL,
    BadRecord,
    Column,
    CsvFile,
    Header,
    HeaderError,
    iter_records,
    read_header,
)
from ictmonitor.core.models import ImportRun
from ictmonitor.core.problems import (
    ImportRefused,
    Problem,
    ProblemList,
    kind_name,
    number,
    whole_file,
)
from ictmonitor.core.unfinished import close_unfinished, running_here

log = logging.getLogger(__name__)

Progress = Callable[..., None]
"""Called as an import goes with (rows read, bytes read, file size, problems found) and the
keyword `phase`: "reading" while the file is read, then "checking" (the set-based checks) and
"writing" (the merge); a job shows them live, the command line on its terminal. A check run in
steps tells `checked` (rows checked so far), a merge in slices or steps `written`."""

Reader = tuple[str, int | None, Callable[[str], Any], dict[str, Any] | None]
"""A field as the row loop uses it: column, position in the file, parser, remembered values."""

RowReader = Callable[[int, list[str]], tuple | None]
"""Reads one record (its line, its cells) into the values to stage, or None after noting its
problems."""

# How many distinct texts a field remembers the parsed value of (bounded: memory stays flat).
MEMORY_PER_FIELD = 10_000


@dataclass(frozen=True)
class Field:
    """A column read into a value by a parser that raises CellError with what it expected.

    Most columns repeat their values (levels, networks, places, dates), so each remembers what
    it parsed; `remember=False` for columns that rarely repeat (names, numbers).
    """

    column: str
    parse: Callable[[str], Any]
    remember: bool = True


class Row:
    """One record of the file, its cells looked up by contract column name."""

    __slots__ = ("cells", "header", "line", "problems")

    def __init__(self, line: int, cells: list[str], header: Header, problems: ProblemList):
        self.line = line
        self.cells = cells
        self.header = header
        self.problems = problems

    def get(self, column: str) -> str:
        """The cell's text without surrounding spaces; '' for an absent optional column."""
        position = self.header.positions.get(column)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position].strip()

    def problem(self, column: str, message: str, /, **params: Any) -> None:
        """Note what is wrong with a cell of this row: a msgid of the code (gettext_noop) with
        its named parameters, put into words in the reader's language (core/problems.py)."""
        self.problems.add(self.line, column, message, **params)


class Contract(ABC):
    """What an importer declares: the file's columns and how its rows become database rows."""

    kind: str
    columns: Sequence[Column]
    fields: Sequence[Field]
    encodings: Sequence[str] = ("utf-8",)
    stage_columns: Sequence[tuple[str, str]]
    # A stage column whose rows must be merged together, and the tables `merge` writes (parents
    # first): with both, a large file may be merged in slices on SQLite (core/slices.py).
    slice_by: str | None = None
    merge_tables: Sequence[str] = ()
    # Staged values of the stage columns' own types: COPY's binary format (core/bulk.Stage).
    stage_binary: bool = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every contract is known by its kind, so a file of another kind can be named."""
        super().__init_subclass__(**kwargs)
        recognise.known(cls)

    @abstractmethod
    def build(self, values: dict[str, Any], row: Row) -> tuple | None:
        """The staged values of a row from its parsed fields, or None after noting problems."""

    def row_reader(self, header: Header, generic: RowReader) -> RowReader | None:
        """A faster reading of this file's rows than `generic` (the fields' parsers, then
        `build`), staging the same values and noting the same problems (by handing a row to
        `generic` when anything in it is not plainly right); None: `generic` reads every row."""
        return None

    def check(self, stage: Stage, problems: ProblemList) -> None:  # noqa: B027
        """Checks that need the whole file or the database (duplicates, unknown references)."""

    @abstractmethod
    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Write the staged rows to the real tables."""


def run_import(
    contract: Contract,
    path: Path,
    *,
    actor: str,
    user: Any = None,
    display_name: str | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Import a file whole, or refuse it whole listing its problems (raises ImportRefused).

    Reading, parsing, staging and the set-based checks run outside any transaction on the real
    tables (the staging table is temporary and private to the connection), so the database's
    write lock (SQLite has one for the whole file) is held only for the final merge.
    """
    name = display_name or path.name
    close_unfinished()  # runs a killed process left "running", and their uploads
    run = ImportRun.objects.create(
        kind=contract.kind, file_name=name, sha256=_sha256(path), actor=actor, user=user,
        **running_here(),
    )
    source = CsvFile(path, contract.encodings)
    problems = ProblemList(name, settings.IMPORT_PROBLEM_LIMIT)
    stage: Stage | None = None
    try:
        for encoding in contract.encodings:
            try:
                stage, rows = _stage(contract, source, encoding, run, problems, progress)
                break
            except UnicodeDecodeError:
                problems = ProblemList(name, settings.IMPORT_PROBLEM_LIMIT)
                if encoding == contract.encodings[-1]:
                    error = source.locate_decoding_error(encoding)
                    problems.add(
                        error.line, "",
                        _("character %(character)s (byte %(byte)s) is not valid %(encoding)s; "
                          "save the file as UTF-8"),
                        character=error.column, byte=f"0x{error.byte:02x}",
                        encoding=error.encoding,
                    )
                    raise ImportRefused(problems) from None
        assert stage is not None
        _report(progress, rows, source.size, problems, "checking")

        def checked(n: int) -> None:
            if progress:
                progress(rows, source.size, source.size, problems.total, phase="checking",
                         checked=n)

        with slices.checks_told(checked):  # a check in steps tells each (core/slices.py)
            contract.check(stage, problems)
        if problems:
            raise ImportRefused(problems)
        _report(progress, rows, source.size, problems, "writing")

        def succeeded(counts: Counts) -> None:
            run.rows = rows
            run.created, run.updated, run.unchanged = (
                counts.created, counts.updated, counts.unchanged)
            run.status = ImportRun.Status.SUCCEEDED
            run.finished_at = timezone.now()
            run.save()

        def written(n: int) -> None:
            if progress:
                progress(rows, source.size, source.size, problems.total, phase="writing",
                         written=n)

        # The only part that writes the real tables: one transaction (on PostgreSQL in steps
        # told as they end, for a large file with progress), or short slices of one on SQLite
        # for a large file (core/slices.py).
        if slices.is_sliced(contract, rows):
            slices.merge_in_slices(contract, stage, run, succeeded, merged=written)
        elif progress and slices.is_stepped(contract, rows):
            slices.merge_in_steps(contract, stage, run, succeeded, merged=written)
        else:
            with transaction.atomic():
                succeeded(contract.merge(stage, run))
    except ImportRefused as refused:
        run.status = ImportRun.Status.REFUSED
        run.problems = refused.problems.stored()
        run.finished_at = timezone.now()
        run.save()
        raise
    except BaseException as error:  # whatever stops an import, its run ends failed, saying why
        _failed(run, error)
        raise
    finally:
        Stage.drop_table(_stage_name(contract))
    return run


def _stage_name(contract: Contract) -> str:
    return f"stage_{contract.kind.replace('-', '_')}"


def _stage(contract: Contract, source: CsvFile, encoding: str, run: ImportRun,
           problems: ProblemList, progress: Progress | None) -> tuple[Stage, int]:
    """Read, parse and stage the whole file: every valid row staged, every other row's problems
    noted, so the set-based checks add theirs and the file is refused once with all of them
    (ImportRefused here only when nothing can be read: the header, the encoding, no rows)."""
    batch_size = settings.IMPORT_BATCH_SIZE
    stage = Stage(_stage_name(contract), contract.stage_columns, binary=contract.stage_binary)
    size = source.size
    rows = 0
    with source.open_text(encoding) as text:
        records = _records(source, encoding, text, problems)
        header = _header(contract, records, problems)
        run.warnings = [Problem(problems.file, 1, c, _("not in the contract; ignored")).stored()
                        for c in header.unknown]
        batch: list[tuple] = []
        readers: list[Reader] = [
            (f.column, header.positions.get(f.column), f.parse, {} if f.remember else None)
            for f in contract.fields
        ]

        def generic(line: int, cells: list[str]) -> tuple | None:
            values = _read_fields(readers, cells, len(cells), line, problems)
            return None if values is None else contract.build(
                values, Row(line, cells, header, problems))

        read = contract.row_reader(header, generic) or generic
        for line, cells in records:
            rows += 1
            width = len(cells)
            if width != header.width and any(c.strip() for c in cells[header.width:]):
                problems.add(line, "", _("has %(width)s fields where the header has %(header)s"),
                             width=width, header=header.width)
                continue
            staged = read(line, cells)
            if staged is not None:  # staged even after a problem: the set-based checks
                batch.append((line, *staged))  # then find theirs in the same round
            if len(batch) >= batch_size:
                stage.insert(batch)
                batch.clear()
            if progress and rows % 1000 == 0:
                progress(rows, source.bytes_read, size, problems.total, phase="reading")
        if batch:
            stage.insert(batch)
    _report(progress, rows, size, problems, "reading")
    if rows == 0 and not problems:
        problems.add(1, "", _("the file has a header but no rows"))
        raise ImportRefused(problems)
    return stage, rows


def _report(progress: Progress | None, rows: int, size: int, problems: ProblemList,
            phase: str) -> None:
    """Tell the progress callback, if any, that the whole file was read and what comes now."""
    if progress:
        progress(rows, size, size, problems.total, phase=phase)


_UNSEEN = object()


def _read_fields(readers: list[Reader], cells: list[str], width: int, line: int,
                 problems: ProblemList) -> dict[str, Any] | None:
    """Parse every field of a row, noting each bad cell; None if any was bad."""
    values: dict[str, Any] = {}
    ok = True
    for column, position, parse, memory in readers:
        cell = cells[position] if position is not None and position < width else ""
        if memory is not None:  # remembered by the cell as written: no strip on a hit
            value = memory.get(cell, _UNSEEN)
            if value is not _UNSEEN:
                values[column] = value
                continue
        try:
            value = parse(cell.strip())
        except CellError as error:
            problems.add(line, column, error.message, **error.params)
            ok = False
            continue
        if memory is not None and len(memory) < MEMORY_PER_FIELD:
            memory[cell] = value
        values[column] = value
    return values if ok else None


def _header(contract: Contract, records, problems: ProblemList) -> Header:  # type: ignore[no-untyped-def]
    first = next(records, None)
    if first is None:
        problems.add(1, "", _("the file is empty; expected a header line"))
        raise ImportRefused(problems)
    try:
        return read_header(first[1], contract.columns)
    except HeaderError as error:
        other = recognise.looks_like(first[1], contract.kind) if error.missing else None
        if other is not None:  # one line that says what to do, not a line per column
            problems.add(1, "", _("this looks like a %(found)s file, not a %(chosen)s file: "
                                  "import it as %(found)s"),
                         found=kind_name(other), chosen=kind_name(contract.kind))
            raise ImportRefused(problems) from None
        for column in error.missing:
            problems.add(1, column, _("missing from the header"))
        for column, message, params in error.repeated:
            problems.add(1, column, message, **params)
        raise ImportRefused(problems) from None


def _records(source: CsvFile, encoding: str, text: IO[str],
             problems: ProblemList) -> Iterator[tuple[int, list[str]]]:
    """The file's records; one the reader cannot take (a cell beyond MAX_CELL) refuses the file,
    naming its line and column."""
    try:
        yield from iter_records(text)
    except BadRecord as bad:
        if bad.too_long:
            column = source.name_long_cell(encoding, bad.line)
            problems.add(bad.line, column, _("a cell of more than %(most)s characters, the "
                                             "most a cell may hold; is a quote left open, "
                                             "running on over the lines after it?"),
                         most=number(MAX_CELL))
        else:
            problems.add(bad.line, "", _("cannot be read as CSV: %(reason)s"), reason=str(bad))
        raise ImportRefused(problems) from None


def _failed(run: ImportRun, error: BaseException) -> None:
    """Record that an import stopped on an unexpected error, and which; nothing was imported.
    The run names the kind of error only (its page reaches the uploader, a provider too); the
    message, which may hold SQL or a server's paths, goes to the log with its traceback."""
    reason = (_("the import stopped (interrupted); nothing was imported")
              if isinstance(error, KeyboardInterrupt)
              else _("the import stopped (%(error)s, details in the server's log); nothing "
                     "was imported"))
    log.error("import run %s (%s) stopped", run.pk, run.file_name, exc_info=error)
    run.status = ImportRun.Status.FAILED
    run.problems = [whole_file(run.file_name, reason, error=type(error).__name__)]
    run.finished_at = timezone.now()
    with contextlib.suppress(DatabaseError):  # the error that stopped it matters more
        run.save(update_fields=["status", "problems", "finished_at"])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        while chunk := raw.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
