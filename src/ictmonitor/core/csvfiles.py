"""Reading published CSV files as they come: any of the agreed encodings, delimiters, line ends."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext_noop as _

DELIMITERS = (";", ",")
_LINE_END = re.compile(rb"\r\n|\r|\n")

MAX_CELL = 131_072
"""The most characters one cell may hold. Cells hold codes, names and addresses; a longer cell is
nearly always a quote left open, which makes a cell run on over the lines after it. It is the
csv module's field limit, so such a cell stops the reading at once, in bounded memory, and the
file is refused naming the line and the column (CsvFile.name_long_cell)."""

csv.field_size_limit(MAX_CELL)


@dataclass(frozen=True)
class Column:
    """A column of a contract: its name, other names it goes by, and whether it must be there."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> tuple[str, ...]:
        """Every accepted spelling, normalised."""
        return tuple(normalise_header(n) for n in (self.name, *self.aliases))


def normalise_header(name: str) -> str:
    """Header names match case-insensitively, ignoring surrounding spaces."""
    return name.strip().lower()


class HeaderError(Exception):
    """The header line does not have what the contract needs, or names a column more than once.

    `repeated` holds (column, what is wrong, its parameters: core/problems.py) for each contract
    column the header names twice, by one spelling or by two of its aliases: which of them to
    read would be a guess.
    """

    def __init__(self, missing: list[str], message: str = "",
                 repeated: list[tuple[str, str, dict[str, Any]]] | None = None) -> None:
        self.repeated = repeated or []
        super().__init__(message or f"missing columns {missing}, repeated columns "
                                    f"{[repeat[0] for repeat in self.repeated]}")
        self.missing = missing


class BadRecord(Exception):
    """A record the csv reader cannot take (a cell longer than MAX_CELL), and where it starts."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.too_long = "field limit" in reason


class WrongEncoding(Exception):
    """The bytes are not valid in the encoding tried."""

    def __init__(self, encoding: str, line: int, column: int, byte: int) -> None:
        super().__init__(f"not valid {encoding}")
        self.encoding = encoding
        self.line = line
        self.column = column
        self.byte = byte


@dataclass
class Header:
    """Where each contract column sits in this file, and what the file has besides."""

    positions: dict[str, int]
    unknown: list[str]
    width: int


@dataclass
class CsvFile:
    """A CSV file to read with one of the given encodings; counts bytes read for progress."""

    path: Path
    encodings: Sequence[str] = ("utf-8",)
    bytes_read: int = field(default=0, init=False)

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return self.path.stat().st_size

    def has_bom(self) -> bool:
        """Whether the file starts with a UTF-8 byte order mark."""
        with self.path.open("rb") as raw:
            return raw.read(3) == codecs.BOM_UTF8

    def open_text(self, encoding: str) -> IO[str]:
        """The file as text, with universal line ends left to the csv module."""
        if encoding == "utf-8" and self.has_bom():
            encoding = "utf-8-sig"
        raw = _CountingReader(self.path.open("rb"), self)
        return io.TextIOWrapper(io.BufferedReader(raw), encoding=encoding, newline="")

    def locate_decoding_error(self, encoding: str) -> WrongEncoding:
        """Find the line and column of the first byte that is not valid in the encoding."""
        with self.path.open("rb") as raw:
            data = raw.read()
        start = 3 if data.startswith(codecs.BOM_UTF8) else 0
        line = 1
        for match in _LINE_END.finditer(data + b"\n", start):
            chunk = data[start : match.start()]
            try:
                chunk.decode(encoding)
            except UnicodeDecodeError as error:
                column = len(chunk[: error.start].decode(encoding, errors="replace")) + 1
                return WrongEncoding(encoding, line, column, chunk[error.start])
            start = match.end()
            line += 1
        return WrongEncoding(encoding, line, 1, 0)

    def name_long_cell(self, encoding: str, line: int) -> str:
        """The column of the first cell longer than MAX_CELL in the record starting on `line`:
        its name in the header, else its number; '' if there is none."""
        with self.open_text(encoding) as text:
            lines = iter(text)
            first = next(lines, "")
            delimiter = detect_delimiter(first)
            for _ in range(line - 2):
                next(lines, None)
            record = itertools.chain([first], lines) if line == 1 else lines
            position = _long_cell_position(record, delimiter)
        if position is None:
            return ""
        try:
            names = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:  # the header's own cell is the long one
            names = []
        name = names[position].strip() if line > 1 and position < len(names) else ""
        return name or str(position + 1)


_START, _PLAIN, _QUOTED, _AFTER_QUOTE = range(4)


def _long_cell_position(lines: Iterator[str], delimiter: str) -> int | None:
    """The position of the first cell of a record longer than MAX_CELL, reading it as the csv
    module does (quotes, doubled quotes, text after a closing quote); None if there is none."""
    position, length, state = 0, 0, _START
    for text in lines:
        for char in text:
            if state == _QUOTED:
                if char == '"':
                    state = _AFTER_QUOTE
                    continue
            elif char == delimiter:
                position, length, state = position + 1, 0, _START
                continue
            elif char in "\r\n":
                return None
            elif state == _START and char == '"':
                state = _QUOTED
                continue
            elif state == _AFTER_QUOTE:  # a doubled quote, or text after the closing one
                state = _QUOTED if char == '"' else _PLAIN
            else:
                state = _PLAIN
            length += 1
            if length > MAX_CELL:
                return position
    return None


class _CountingReader(io.RawIOBase):
    """A raw binary reader that tells its CsvFile how far it has read."""

    def __init__(self, raw: io.BufferedReader, owner: CsvFile) -> None:
        self._raw = raw
        self._owner = owner
        owner.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        count = self._raw.readinto(buffer)
        self._owner.bytes_read += count or 0
        return count or 0

    def close(self) -> None:
        self._raw.close()
        super().close()


def detect_delimiter(header_line: str) -> str:
    """`;` or `,`, whichever the header line (outside quotes) has more of."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    return max(DELIMITERS, key=outside.count)


def read_header(cells: list[str], columns: Sequence[Column]) -> Header:
    """Match the header cells to the contract's columns."""
    normalised = [normalise_header(c) for c in cells]
    positions: dict[str, int] = {}
    missing: list[str] = []
    repeated: list[tuple[str, str, dict[str, Any]]] = []
    for column in columns:
        names = column.names()
        found = [position for position, name in enumerate(normalised) if name in names]
        if not found:
            if column.required:
                missing.append(column.name)
            continue
        positions[column.name] = found[0]
        if len(found) > 1:
            repeated.append((column.name, *_named_more_than_once(cells, found)))
    if missing or repeated:
        raise HeaderError(missing, repeated=repeated)
    known = {n for column in columns for n in column.names()}
    unknown = [c.strip() for c, n in zip(cells, normalised, strict=True) if n and n not in known]
    return Header(positions, unknown, len(cells))


def _named_more_than_once(cells: list[str], found: list[int]) -> tuple[str, dict[str, Any]]:
    places = [(position + 1, cells[position].strip()) for position in found]
    return (_("named %(count)s times in the header, as %(places)s; keep one of them"),
            {"count": len(found), "places": {"columns": places}})


def iter_records(text: IO[str]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line where the record starts, cells) for every record, header first.

    Blank lines are skipped. A record spanning lines (a quoted line break) is numbered by the
    line it starts on, as an editor shows it. A record the reader cannot take (a cell longer than
    MAX_CELL) raises BadRecord with that line.
    """
    first = text.readline()
    delimiter = detect_delimiter(first)
    reader = csv.reader(_chain(first, text), delimiter=delimiter, strict=False)
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            yield start, cells
    except csv.Error as error:
        raise BadRecord(previous_end + 1, str(error)) from None


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest
