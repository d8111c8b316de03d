"""Reading published CSV files as they come: any of the agreed encodings, delimiters, line ends."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

DELIMITERS = (";", ",")
_LINE_END = re.compile(rb"\r\n|\r|\n")


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
    """The header line does not have what the contract needs."""

    def __init__(self, missing: list[str], message: str = "") -> None:
        super().__init__(message or f"missing columns {missing}")
        self.missing = missing


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
    for column in columns:
        found = next((normalised.index(n) for n in column.names() if n in normalised), None)
        if found is None:
            if column.required:
                missing.append(column.name)
        else:
            positions[column.name] = found
    if missing:
        raise HeaderError(missing)
    known = {n for column in columns for n in column.names()}
    unknown = [c.strip() for c, n in zip(cells, normalised, strict=True) if n and n not in known]
    return Header(positions, unknown, len(cells))


def iter_records(text: IO[str]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line where the record starts, cells) for every record, header first.

    Blank lines are skipped. A record spanning lines (a quoted line break) is numbered by the
    line it starts on, as an editor shows it.
    """
    first = text.readline()
    delimiter = detect_delimiter(first)
    reader = csv.reader(_chain(first, text), delimiter=delimiter, strict=False)
    previous_end = 0
    for cells in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        yield start, cells


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest
