"""Fair figures (reports.md, "Shares, stocks and fair comparisons"): a count of schools as a
share of the open institutions in the same cell, and a flow's rate per month over the days
each row covers."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ictmonitor.registry.selectors import count_institutions

# The dimensions an institution itself has: the cell a share is taken of.
INSTITUTION_DIMENSIONS = ("level", "special", "province", "network", "board")
DAYS_PER_MONTH = 30.4375  # a month is 1/12 of a year


def add_shares(rows: list[dict[str, Any]], totals: dict[str, Any], by: Sequence[str],
               at: date, count: str = "schools") -> None:
    """Give each row and the totals `share`: `count` ÷ the institutions open on `at` in the same
    cell of the institutions' own dimensions (offer, module, label level: every institution).
    With `month` among the dimensions, each row's month counts those open at its end."""
    dims = [d for d in by if d in INSTITUTION_DIMENSIONS]
    days = {row["month"] for row in rows} if "month" in by else {None}
    population = {month: _institutions(dims, month_end(month, at) if month else at)
                  for month in sorted(days, key=str)}
    for row in rows:
        open_ = population[row["month"] if "month" in by else None]
        row["share"] = ratio(row.get(count), open_.get(tuple(row[d] for d in dims)))
    if "month" in by:  # a stock's total across months is left empty (engine)
        totals["share"] = None
        return
    everyone = sum(population[None].values())  # each open institution is in one cell
    totals["share"] = ratio(totals.get(count), everyone)


def _institutions(dims: list[str], day: date) -> dict[tuple[Any, ...], int]:
    return {tuple(row[d] for d in dims): row["institutions"]
            for row in count_institutions(dims, day)}


def ratio(part: Any, whole: Any) -> float | None:
    """part ÷ whole, or None when either is unknown or the whole is nothing."""
    if part is None or not whole:
        return None
    return part / whole


def month_end(code: str, at: date) -> date:
    """The last day of a month `YYYY-MM`, or `at` when that comes first."""
    year, month = int(code[:4]), int(code[5:7])
    return min(date(year, month, calendar.monthrange(year, month)[1]), at)


def months_between(first: date, last: date) -> list[str]:
    """Every month `YYYY-MM` from the one of `first` to the one of `last`."""
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def per_month(rows: list[dict[str, Any]], totals: dict[str, Any], by: Sequence[str],
              count: str, span: tuple[date, date] | None, split: date | None) -> None:
    """Give each row and the totals `<count>_per_month`: the count ÷ the months its row covers.

    The record runs from the first day of the month of the earliest event to the last day of
    the month of the latest (`span`); a row covers the part of it its `period` (`before` the
    split, or from it `after`), `month` and `year` leave; a month is days ÷ 30.4375."""
    rate = f"{count}_per_month"
    for values in (*rows, totals):
        values[rate] = None
    if span is None:
        return
    start = span[0].replace(day=1)
    end = span[1].replace(day=calendar.monthrange(span[1].year, span[1].month)[1])
    for row in rows:
        first, last = start, end
        if "period" in by and split is not None:
            first, last = ((first, min(last, split - timedelta(days=1)))
                           if row["period"] == "before" else (max(first, split), last))
        if "month" in by and row["month"]:
            year, month = int(row["month"][:4]), int(row["month"][5:7])
            first = max(first, date(year, month, 1))
            last = min(last, date(year, month, calendar.monthrange(year, month)[1]))
        if "year" in by and row["year"]:
            first = max(first, date(int(row["year"]), 1, 1))
            last = min(last, date(int(row["year"]), 12, 31))
        row[rate] = _rate(row.get(count), first, last)
    totals[rate] = _rate(totals.get(count), start, end)


def _rate(count: Any, first: date, last: date) -> float | None:
    days = (last - first).days + 1
    if count is None or days <= 0:
        return None
    return round(count / (days / DAYS_PER_MONTH), 2)
