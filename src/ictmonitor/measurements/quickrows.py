"""The measurement file's rows read fast: the reading a file of every column takes.

A month of agents' measurements is millions of rows of few distinct cells: a school and its
location, a device, the same kinds and paths, hours of the same days. Each cell is looked up in
the answers of the contract's own parsers (core/quickrows.py), the kind's rules are a few
comparisons, and the row becomes its staged tuple. The first cell or rule that is not plainly
right hands the row to the generic reading (the fields' parsers, then `Measurements.build`),
which notes every problem of the row with its line and column: a row is staged with the same
values, or refused with the same problems, either way (tests/measurements/test_quick_rows.py).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ictmonitor.core.cells import CellError
from ictmonitor.core.csvfiles import Header
from ictmonitor.core.pipeline import RowReader
from ictmonitor.core.quickrows import Answers, parsers, positions, shared
from ictmonitor.measurements.models import Kind
from ictmonitor.measurements.models import Path as LinePath

if TYPE_CHECKING:
    from ictmonitor.measurements.importers import Measurements

COLUMNS = ("schoolnummer", "intern_vplnummer", "device", "measured_at", "kind", "path",
           "download_mbps", "upload_mbps", "latency_ms", "jitter_ms", "loss_pct", "reachable")
# How many distinct texts each lookup keeps (a location, a day of a line: a national month
# has about 6,300 locations and 190,000 line-days); past that a text is parsed each time. The
# measures, nearly all different, keep as many as the generic reading's fields (memory stays
# flat); the times are not kept: each is read by its hour (Moments.quick), which is.
MEMORY = 200_000
MEASURES_KEPT = 10_000
_MISSING = object()
SPEED, PING, BACKUP = Kind.SPEED.value, Kind.PING.value, LinePath.BACKUP.value


def quick_reader(contract: Measurements, header: Header, generic: RowReader) -> RowReader | None:
    """The fast reading of a file whose header has every column; None otherwise."""
    found = positions(header, COLUMNS)
    if found is None:
        return None
    width = header.width
    (school_at, location_at, device_at, moment_at, kind_at, path_at, download_at, upload_at,
     latency_at, jitter_at, loss_at, reachable_at) = found
    parse = parsers(contract)
    read_school, read_location = parse["schoolnummer"], parse["intern_vplnummer"]
    read_moment = parse["measured_at"]
    by_hour = getattr(read_moment, "quick", None)  # Moments: a time read by its hour, at once
    devices = Answers(parse["device"], MEASURES_KEPT)
    places: dict[tuple[str, str], int] = {}
    days: dict[date, date | str] = {}  # each day as staged
    # Columns of one parser (the decimals) share their answers.
    downloads, uploads, latencies, jitters, losses = shared(
        [parse[column] for column in COLUMNS[6:11]], MEASURES_KEPT)
    reachables = {"": None, "1": True, "0": False}
    shapes = {(k, p): (k, p) for k in Kind.values for p in LinePath.values}
    lines: dict[tuple[int, date], Any] = {}
    provider, backup_bit = contract.only_provider, contract.backup_bit

    def place(school_cell: str, location_cell: str) -> int | None:
        try:
            school = read_school(school_cell.strip())
            number = read_location(location_cell.strip())
        except CellError:
            return None
        found = contract.locations.get(school)
        location_id = None if found is None else found.get(number or found[""])
        if location_id is not None and len(places) < MEMORY:
            places[(school_cell, location_cell)] = location_id
        return location_id

    def moment(cell: str) -> tuple[Any, date, date | str, bool]:
        found = by_hour(cell) if by_hour is not None else None
        stored, day, school_hours = (  # or CellError: not plainly right
            found if found is not None else read_moment(cell.strip()))
        text = days.get(day)
        if text is None:
            text = days[day] = contract.staged_day(day)
        return stored, day, text, school_hours

    def read(line: int, cells: list[str]) -> tuple | None:
        if len(cells) != width:
            return generic(line, cells)
        location_id = places.get((cells[school_at], cells[location_at]))
        if location_id is None:
            location_id = place(cells[school_at], cells[location_at])
            if location_id is None:
                return generic(line, cells)
        shape = shapes.get((cells[kind_at], cells[path_at]))
        reachable = reachables.get(cells[reachable_at], _MISSING)
        if shape is None or reachable is _MISSING:
            return generic(line, cells)
        try:
            device = devices[cells[device_at]]
            stored, day, day_text, school_hours = moment(cells[moment_at])
            values = (downloads[cells[download_at]], uploads[cells[upload_at]],
                      latencies[cells[latency_at]], jitters[cells[jitter_at]],
                      losses[cells[loss_at]])
        except CellError:
            return generic(line, cells)
        kind, path = shape
        download, upload, latency, jitter, loss = values
        if kind == SPEED:
            fits = download is not None and upload is not None and reachable is None
        elif kind == PING:
            fits = reachable is not None and download is None and upload is None
        else:  # a failover carries no measure
            fits = values == (None,) * 5 and reachable is None
        if not fits:
            return generic(line, cells)
        active = lines.get((location_id, day), _MISSING)
        if active is _MISSING:
            active = contract._line_on(location_id, day)
            if len(lines) < MEMORY:
                lines[(location_id, day)] = active
        if provider and (active is None or active[1] != provider):
            return generic(line, cells)
        if path == BACKUP and active is not None and (backup_bit is None
                                                      or not active[2] & backup_bit):
            return generic(line, cells)
        return (location_id, device, stored, day_text, school_hours, kind, path,
                active[0] if active else None, download, upload, latency, jitter, loss,
                reachable, True)

    return read
