"""Writing CSV that is safe to open in a spreadsheet: every CSV the platform writes goes through
`csv_writer` (report downloads, `publish`, the demo's files).

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
by Excel, LibreOffice and Google Sheets: a school named `=HYPERLINK(...)` would become a link
and `=cmd|' /C calc'!A0` a command (CSV injection). Such a cell is neutralised as OWASP
describes: a single quote goes before it, and the field is quoted. Numbers (int, float, Decimal)
are written as numbers and never changed, negative ones included: only text is neutralised.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Neutralised(str):
    """A text cell made safe (`'=cmd…`); it is always written quoted."""

    __slots__ = ()


def csv_cell(value: Any) -> str:
    """One cell as CSV holds it: a number as its digits, text neutralised when it could be
    taken for a formula, nothing (None) as empty."""
    if isinstance(value, str):
        return Neutralised(f"'{value}") if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")  # never `1E+2`
    if isinstance(value, int):
        return str(value)
    return csv_cell(str(value))  # a date, a code object: text


class SafeWriter:
    """A csv.writer whose every cell passes through `csv_cell`."""

    def __init__(self, out: IO[str], delimiter: str, lineterminator: str) -> None:
        self._out = out
        self._writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
        self._delimiter = delimiter
        self._lineterminator = lineterminator
        self._needs_quotes = re.compile(f"[{re.escape(delimiter)}\"\r\n]")

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row; a neutralised cell is quoted, the others as csv.writer does."""
        cells = [csv_cell(value) for value in row]
        if not any(type(cell) is Neutralised for cell in cells):
            self._writer.writerow(cells)
            return
        self._out.write(self._delimiter.join(self._field(cell) for cell in cells)
                        + self._lineterminator)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row."""
        for row in rows:
            self.writerow(row)

    def _field(self, cell: str) -> str:
        if type(cell) is Neutralised or self._needs_quotes.search(cell):
            return '"' + cell.replace('"', '""') + '"'
        return cell


def csv_writer(out: IO[str], *, delimiter: str = ",", lineterminator: str = "\r\n") -> SafeWriter:
    """A CSV writer (writerow, writerows) that neutralises formulas; open `out` with newline=""."""
    return SafeWriter(out, delimiter, lineterminator)
