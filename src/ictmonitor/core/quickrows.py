"""What a contract's faster reading of its rows (`Contract.row_reader`) is made of.

A feed of a million rows has few distinct cells in most columns: providers, schools, offers,
bandwidths, dates. A fast reading looks each cell up in `Answers`, what the contract's own
parser gave for the same text before (parsed once per distinct text, within bounds so memory
stays flat), checks the contract's rules across cells with a few comparisons, and makes the
row's staged tuple. The first cell or rule that is not plainly right (a cell its parser
refuses with CellError, a row of another width) hands the row to the generic reading (the
fields' parsers, then the contract's `build`), which notes every problem of the row with its
line and column: a row is staged with the same values, or refused with the same problems,
either way. The measurement files' (measurements/quickrows.py) and the provider feed's
(connectivity/quickrows.py) are built so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ictmonitor.core.csvfiles import Header
from ictmonitor.core.pipeline import MEMORY_PER_FIELD, Contract


class Answers(dict[str, Any]):
    """A parser's answers by the cell's text as written (parsed without surrounding spaces, as
    the generic reading parses it). `answers[cell]` parses a text only the first time, and
    raises the parser's CellError for a text it refuses (the reader then hands the row to the
    generic reading, which names the problem); at most `most` texts are kept, past that one is
    parsed each time."""

    __slots__ = ("most", "parse")

    def __init__(self, parse: Callable[[str], Any], most: int = MEMORY_PER_FIELD) -> None:
        super().__init__()
        self.parse = parse
        self.most = most

    def __missing__(self, cell: str) -> Any:
        value = self.parse(cell.strip())
        if len(self) < self.most:
            self[cell] = value
        return value


def shared(parses: Sequence[Callable[[str], Any]], most: int = MEMORY_PER_FIELD
           ) -> list[Answers]:
    """The answers of each parser, columns of the same parser sharing theirs (the same text
    gives the same answer: a feed's download and upload bandwidths, its dates)."""
    kept: dict[Callable[[str], Any], Answers] = {}
    for parse in parses:
        if parse not in kept:
            kept[parse] = Answers(parse, most)
    return [kept[parse] for parse in parses]


def parsers(contract: Contract) -> dict[str, Callable[[str], Any]]:
    """The contract's parser of each column it reads."""
    return {field.column: field.parse for field in contract.fields}


def positions(header: Header, columns: Sequence[str]) -> tuple[int, ...] | None:
    """Where each of `columns` is in the file; None when one is absent (a file the generic
    reading takes whole, reading an absent optional column as empty)."""
    found = header.positions
    if any(column not in found for column in columns):
        return None
    return tuple(found[column] for column in columns)
