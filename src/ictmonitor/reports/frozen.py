"""The public figures of a sensitive report come from the tables frozen at each release.

When a release is published, each report under linked protection (`protect_order`: pupils,
voucher-summary) has its finest table — every dimension at once — computed and stored
(`ReleaseTable`). A public table of that release is a sum of it. So what is recorded later
cannot change a released figure: a voucher activation backdated into a released period, a
corrected pupil count, a school moved to another board all wait for the next release, where
they are protected together with the earlier ones (reports/protection.py). Without this, two
downloads of one release a day apart could differ by exactly one family.

A report without a reference date (`pupils`, by school year) publishes each school year once:
its figures are those of the first release that held that year, and later corrections stay
out of the public tables (an analyst sees them; the public sees a year as it was first
published, so no difference between two releases can single out a corrected school).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from ictmonitor.reports.definitions import RATE, Parameters, Report, ReportError, Rows
from ictmonitor.reports.models import Release, ReleaseTable
from ictmonitor.reports.selectors import FrozenTable, frozen_table, release_dates

Figures = tuple[Rows, dict[str, Any]]


def frozen_reports(reports: Iterable[Report]) -> list[Report]:
    """The reports whose public figures come from frozen tables: those under linked
    protection."""
    return [report for report in reports if report.sensitive and report.protect_order]


def freeze(release: Release, reports: Iterable[Report]) -> None:
    """Store each report's finest table as it stands on the release's date (in the caller's
    transaction: the release and its tables are written together)."""
    for report in frozen_reports(reports):
        counts = [m.code for m in report.measures if m.kind != RATE]
        dimensions = tuple(report.dimensions)
        rows, _totals = report.compute(Parameters(by=dimensions, at=release.on))
        cells = [(*(row[d] for d in dimensions), *(row[m] or 0 for m in counts))
                 for row in rows]
        if "at" in report.uses and report.unit_attributes:
            cells = _as_released_before(report, release.on, cells)
        ReleaseTable.objects.create(release=release, report=report.id,
                                    dimensions=list(dimensions), measures=counts,
                                    rows=[list(cell) for cell in cells])


def _as_released_before(report: Report, on: date, cells: list[tuple[Any, ...]]
                        ) -> list[tuple[Any, ...]]:
    """The cells with each unit's attributes (a school's level and province) as the latest
    earlier release had them, summed again: a school that moved stays where it was published,
    so no released count falls (the protection plan rests on counts only growing)."""
    earlier = [day for day in release_dates() if day < on]
    previous = frozen_table(earlier[-1], report.id) if earlier else None
    if previous is None:
        return cells
    dims = previous.dimensions
    for unit, attributes in report.unit_attributes.items():
        at, where = dims.index(unit), [dims.index(a) for a in attributes]
        known = {row[at]: tuple(row[i] for i in where)
                 for row in previous.rows if row[at] is not None}
        moved = []
        for cell in cells:
            was = known.get(cell[at])
            if was is not None:
                cell = tuple(was[where.index(i)] if i in where else v
                             for i, v in enumerate(cell))
            moved.append(cell)
        cells = moved
    width = len(dims)
    summed: dict[tuple[Any, ...], list[int]] = {}
    for cell in cells:
        total = summed.setdefault(cell[:width], [0] * (len(cell) - width))
        for i, value in enumerate(cell[width:]):
            total[i] += value
    return [(*key, *values) for key, values in summed.items()]


def public_figures(report: Report, parameters: Parameters) -> Figures:
    """The figures a public table of this report is made from: the frozen release tables
    when the date asked is a release (or, for a report by school year, once any year is
    released), else the report computed now (an analyst's preview of a date not yet
    released)."""
    tables = _published_tables(report, parameters)
    if tables is None:
        return report.compute(parameters)
    return _summed(report, parameters, tables)


def _published_tables(report: Report, parameters: Parameters) -> list[FrozenTable] | None:
    """The frozen tables the figures are summed from, or None when the date is no release."""
    if "at" in report.uses:
        table = frozen_table(parameters.at, report.id)
        if table is None and parameters.at in release_dates():
            table = _freeze_late(parameters.at, report)
        return None if table is None else [table]
    days = release_dates()
    if not days:
        return None
    return [table for day in days
            if (table := frozen_table(day, report.id) or _freeze_late(day, report))]


def _freeze_late(on: date, report: Report) -> FrozenTable | None:
    """Freeze a release published before releases froze their tables, once, as the data
    stands now (the best that can be had for it)."""
    release = Release.objects.filter(on=on).first()
    if release is None:
        return None
    if not ReleaseTable.objects.filter(release=release, report=report.id).exists():
        freeze(release, [report])
    return frozen_table(on, report.id)


def _summed(report: Report, parameters: Parameters, tables: list[FrozenTable]) -> Figures:
    """The frozen cells summed by the dimensions asked. A dimension that is a separate table
    (the school year: not in `protect_order`) and not asked for is fixed at the value asked
    (`year`) or the latest published; each of its values comes from the first table that
    holds it."""
    separate = [d for d in report.dimensions if d not in report.protect_order]
    cells = _first_published(tables, separate)
    dimensions = tables[-1].dimensions
    for dim in separate:
        if dim in parameters.by:
            continue
        at = dimensions.index(dim)
        published = sorted({row[at] for row in cells if row[at] is not None})
        wanted = _wanted_value(dim, parameters, published)
        cells = [row for row in cells if row[at] == wanted]
    counts = tables[-1].measures
    where = [dimensions.index(d) for d in parameters.by]
    first = len(dimensions)
    sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(counts))
    for row in cells:
        total = sums[tuple(row[i] for i in where)]
        for i in range(len(counts)):
            total[i] += row[first + i]
    rows = [{**dict(zip(parameters.by, key, strict=True)), **dict(zip(counts, values,
                                                                      strict=True))}
            for key, values in sums.items()]
    totals: dict[str, Any] = dict.fromkeys(counts, 0)
    for summed in rows:
        for code in counts:
            totals[code] += summed[code]
    for values in (*rows, totals):
        for measure in report.measures:
            if measure.rate_of:
                part, whole = measure.rate_of
                values[measure.code] = values[part] / values[whole] if values[whole] else None
    return (rows if parameters.by else [dict(totals)]), totals


def _first_published(tables: list[FrozenTable], separate: list[str]) -> list[tuple[Any, ...]]:
    """The cells of the tables, each value of the separate dimensions taken from the first
    table that holds it (one table: its cells)."""
    if len(tables) == 1 or not separate:
        return list(tables[-1].rows)
    where = [tables[0].dimensions.index(d) for d in separate]
    taken: set[tuple[Any, ...]] = set()
    cells: list[tuple[Any, ...]] = []
    for table in tables:
        values = {tuple(row[i] for i in where) for row in table.rows} - taken
        cells.extend(row for row in table.rows if tuple(row[i] for i in where) in values)
        taken |= values
    return cells


def _wanted_value(dimension: str, parameters: Parameters, published: list[Any]) -> Any:
    """The one value of a separate dimension a table without it shows: the school year of
    `year` if asked (refused when not published), else the latest published."""
    if dimension == "year" and parameters.year is not None:
        wanted = f"{parameters.year}-{parameters.year + 1}"
        if wanted not in published:
            raise ReportError(f"school year {wanted} has not been published; published: "
                              f"{', '.join(published) or 'none'}")
        return wanted
    return published[-1] if published else None

