"""The voucher feed's rows read fast (contracts/vouchers.md), as core/quickrows.py says.

A million codes come from two providers, three kinds of requester, some thousands of schools and
municipalities, a few waves and some hundreds of days: those cells are looked up in the answers
of the contract's own parsers for the same text; the code and the pupil reference, nearly all
different, are checked by their parsers; `Vouchers.build`'s rules (a municipality or OCMW
named by a REFNIS code; each date given after the one it follows) are a few comparisons.
Anything not plainly right goes to the generic reading, which names the problems
(tests/vouchers/test_quick_rows.py: the same rows staged, the same problems).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ictmonitor.core.cells import CellError
from ictmonitor.core.csvfiles import Header
from ictmonitor.core.pipeline import RowReader
from ictmonitor.core.quickrows import parsers, positions, shared
from ictmonitor.vouchers.models import RequesterType

if TYPE_CHECKING:
    from ictmonitor.vouchers.importers import Vouchers

# How many distinct texts a lookup keeps (the requesters and schools of a country, the days of
# some years); past that a text is parsed each time, so memory stays flat as the file grows.
MEMORY = 200_000
SCHOOL = RequesterType.SCHOOL.value


def quick_reader(contract: Vouchers, header: Header, generic: RowReader, *,
                 dates: Sequence[str], order: Sequence[tuple[str, str]],
                 refnis: re.Pattern[str]) -> RowReader | None:
    """The fast reading of a file whose header has every column; None otherwise. The contract
    names its rules: its dates in the order it stages them, the (later, earlier) dates that
    must be in order, a REFNIS code's pattern."""
    names = [column.name for column in contract.columns]
    found = positions(header, names)
    if found is None:
        return None
    width = header.width
    at = dict(zip(names, found, strict=True))
    provider_at, code_at, requested_by_at, requester_at, school_at, wave_at, pupil_at = (
        at[name] for name in ("provider", "code", "requested_by", "requester_id",
                              "schoolnummer", "wave", "pupil_ref"))
    parse = parsers(contract)
    providers, requested_bys, requesters, schools, waves = shared(
        [parse[name] for name in ("provider", "requested_by", "requester_id", "schoolnummer",
                                  "wave")], MEMORY)
    day_cells = tuple(zip([at[name] for name in dates],
                          shared([parse[name] for name in dates], MEMORY), strict=True))
    read_code, read_pupil = parse["code"], parse["pupil_ref"]
    # (later, earlier) as places in the staged row, whose dates start at its seventh value
    ordered = tuple((6 + dates.index(later), 6 + dates.index(earlier)) for later, earlier in order)

    def read(line: int, cells: list[str]) -> tuple | None:
        if len(cells) != width:
            return generic(line, cells)
        try:
            row = (providers[cells[provider_at]], read_code(cells[code_at].strip()),
                   requested_bys[cells[requested_by_at]], requesters[cells[requester_at]],
                   schools[cells[school_at]], waves[cells[wave_at]],
                   *[answers[cells[at]] for at, answers in day_cells],
                   read_pupil(cells[pupil_at].strip()))
        except CellError:
            return generic(line, cells)
        if row[2] != SCHOOL and not refnis.match(row[3]):
            return generic(line, cells)
        for later, earlier in ordered:
            if row[later] is not None and (row[earlier] is None or row[later] < row[earlier]):
                return generic(line, cells)
        return row

    return read
