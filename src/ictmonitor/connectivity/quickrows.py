"""The provider feed's rows read fast (contracts/subscriptions.md), as core/quickrows.py says.

A national feed is a million lines over a few providers, offers, bandwidths, module sets and
some thousands of schools and days: every cell but the contract id is looked up in the answers
of the contract's own parser for the same text, the contract id is checked by its parser, and
`Subscriptions.build`'s rules (no modules on an offer without them; the dates in order) are a
few comparisons. Anything not plainly right goes to the generic reading, which names the
problems (tests/connectivity/test_quick_rows.py: the same rows staged, the same problems).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ictmonitor.core.cells import CellError
from ictmonitor.core.csvfiles import Header
from ictmonitor.core.pipeline import RowReader
from ictmonitor.core.quickrows import parsers, positions, shared

if TYPE_CHECKING:
    from ictmonitor.connectivity.importers import Subscriptions

COLUMNS = ("provider", "contract_id", "schoolnummer", "intern_vplnummer", "offer",
           "download_mbps", "upload_mbps", "modules", "requested_on", "started_on", "ended_on")
DATES = COLUMNS[8:]
# How many distinct texts a lookup keeps: a feed names every school (the benchmark's generated
# list some 82,000) and its days (one a day since 2008 is some 6,600); past that a text is
# parsed each time, so memory stays flat as the file grows.
MEMORY = 200_000


def quick_reader(contract: Subscriptions, header: Header, generic: RowReader) -> RowReader | None:
    """The fast reading of a file whose header has every column; None otherwise."""
    found = positions(header, COLUMNS)
    if found is None:
        return None
    width = header.width
    (provider_at, contract_at, school_at, location_at, offer_at, download_at, upload_at,
     modules_at, requested_at, started_at, ended_at) = found
    parse = parsers(contract)
    providers, schools, locations, offers, downloads, uploads, modules = shared(
        [parse[column] for column in COLUMNS[:1] + COLUMNS[2:8]], MEMORY)
    day_texts = {p: _as_text(p) for p in {parse[column] for column in DATES}}
    requested_on, started_on, ended_on = shared(
        [day_texts[parse[column]] for column in DATES], MEMORY)
    read_contract_id = parse["contract_id"]
    carries_modules = contract.offers  # offer → whether it may carry modules

    def read(line: int, cells: list[str]) -> tuple | None:
        if len(cells) != width:
            return generic(line, cells)
        try:
            row = (providers[cells[provider_at]], read_contract_id(cells[contract_at].strip()),
                   schools[cells[school_at]], locations[cells[location_at]],
                   offers[cells[offer_at]], downloads[cells[download_at]],
                   uploads[cells[upload_at]], modules[cells[modules_at]],
                   requested_on[cells[requested_at]], started_on[cells[started_at]],
                   ended_on[cells[ended_at]])
        except CellError:
            return generic(line, cells)
        requested, started, ended = row[8:]
        if (row[7] and not carries_modules[row[4]]) or (
                started and (requested and started < requested or ended and ended < started)) or (
                requested and ended and ended < requested):
            return generic(line, cells)
        return row

    return read


def _as_text(parse: Any) -> Any:
    """A date column's parser giving the day's ISO text (as staged), None for an empty cell;
    ISO texts compare as their days do."""

    def day_text(value: str) -> str | None:
        day: date | None = parse(value)
        return day.isoformat() if day else None

    return day_text
