"""What a report's chart shows, the same on the page, on paper and in the workbook.

The first measure, one mark per row of the table: nothing is added up and nothing overwrites
anything, so a chart of three or more dimensions stays true (a count of distinct schools, a
rate or a stock cannot be summed over a dimension anyway). Bars: a bar per value of the first
dimension, coloured by the second; with a third dimension and more, a bar per combination of the
first with those (`SchoolNet · Antwerpen`). Over time (a first dimension month or year): a line
per value of the second dimension, or per combination of the second and the later ones.
Suppressed and missing figures are gaps; the title names every dimension charted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ictmonitor.reports.definitions import Measure, Result
from ictmonitor.reports.formatting import capitalised, dimension_name, is_suppressed, word

TIME_DIMENSIONS = frozenset({"month", "year"})
JOIN = " · "


@dataclass(frozen=True)
class Point:
    """One charted figure: its bar or point (`category`) and its colour (`group`)."""

    category: str
    category_key: tuple[str, ...]
    group: str | None
    group_key: tuple[str, ...]
    value: int | float
    figure: Any  # as the result holds it, for formatting


@dataclass(frozen=True)
class ChartData:
    """The points of a chart and what they are per."""

    measure: Measure
    category_dimensions: tuple[str, ...]
    group_dimensions: tuple[str, ...]
    points: list[Point]

    @property
    def first(self) -> str:
        """The dimension along the axis."""
        return self.category_dimensions[0]

    @property
    def timeline(self) -> bool:
        """Whether the chart is a line over months or years."""
        return self.first in TIME_DIMENSIONS

    def categories(self) -> list[str]:
        """The bars or points along the axis, in the table's order (unknown values last); over
        time every month or year of the range, empty ones included (reports.md)."""
        found = _ordered((p.category, p.category_key) for p in self.points)
        if not self.timeline:
            return found
        known = {p.category_key[0]: p.category for p in self.points if p.category_key[0]}
        unknown = [c for c in found if c not in known.values()]
        return [known.get(code, code) for code in _every_date(sorted(known), self.first)] + unknown

    def groups(self) -> list[str]:
        """The colours (series), in the table's order; empty without a second dimension."""
        return _ordered((p.group, p.group_key) for p in self.points if p.group is not None)

    def title(self, language: str) -> str:
        """`Schools by offer, level and province`: the measure per every dimension charted."""
        names = [dimension_name(d, language)
                 for d in (self.first, *self.group_dimensions, *self.category_dimensions[1:])]
        listed = names[0] if len(names) == 1 else (
            f"{', '.join(names[:-1])} {word('and', language)} {names[-1]}")
        return capitalised(word("per", language) % {"measure": self.measure.label(language),
                                                    "dimensions": listed})

    def category_title(self, language: str) -> str:
        """The axis title: `Offer`, or `Offer · province` for combinations."""
        return capitalised(JOIN.join(dimension_name(d, language)
                                     for d in self.category_dimensions))

    def group_title(self, language: str) -> str:
        """The legend's title: `Level`, or `Level · province` for combinations."""
        return capitalised(JOIN.join(dimension_name(d, language) for d in self.group_dimensions))


def chart_data(result: Result) -> ChartData | None:
    """The result's chart points, or None when there is nothing to chart."""
    if not result.dimensions or not result.report.measures:
        return None
    measure = result.report.measures[0]
    first, *others = result.dimensions
    along: tuple[str, ...]
    colour: tuple[str, ...]
    if first in TIME_DIMENSIONS:
        along, colour = (first,), tuple(others)
    else:
        along, colour = (first, *others[1:]), tuple(others[:1])
    labels = {d: result.labels.get(d, {}) for d in result.dimensions}
    points = []
    for row in result.rows:
        value = row.get(measure.code)
        if not isinstance(value, int | float | Decimal) or isinstance(value, bool) or (
                is_suppressed(row, measure.code)):
            continue  # suppressed, missing, or not a number (a list of codes)
        category_key = tuple(_code(row.get(d)) for d in along)
        group_key = tuple(_code(row.get(d)) for d in colour)
        points.append(Point(
            category=JOIN.join(labels[d].get(k, k) for d, k in zip(along, category_key,
                                                                     strict=True)),
            category_key=category_key,
            group=JOIN.join(labels[d].get(k, k) for d, k in zip(colour, group_key, strict=True))
            if colour else None,
            group_key=group_key,
            value=float(value) if isinstance(value, Decimal) else value,
            figure=value,
        ))
    if not points:
        return None
    return ChartData(measure, along, colour, _disambiguated(points))


def _disambiguated(points: list[Point]) -> list[Point]:
    """Two codes with the same label (two schools named alike) keep apart: `name (code)`."""
    keys: dict[str, set[tuple[str, ...]]] = {}
    for point in points:
        keys.setdefault(point.category, set()).add(point.category_key)
    return [
        Point(f"{p.category} ({'/'.join(p.category_key)})", *_rest(p))
        if len(keys[p.category]) > 1 else p
        for p in points
    ]


def _rest(point: Point) -> tuple[Any, ...]:
    return (point.category_key, point.group, point.group_key, point.value, point.figure)


def _ordered(pairs: Any) -> list[str]:
    """Distinct labels sorted by their codes, a code left empty (unknown) after the others."""
    keys: dict[str, tuple[str, ...]] = {}
    for label, key in pairs:
        keys.setdefault(label, key)
    return sorted(keys, key=lambda label: tuple((k == "", k) for k in keys[label]))


def _every_date(codes: list[str], unit: str) -> list[str]:
    """Every month (`YYYY-MM`) or year (`YYYY`) from the first code to the last."""
    if not codes or not all(_is_date_code(c, unit) for c in (codes[0], codes[-1])):
        return codes
    if unit == "year":
        return [str(y) for y in range(int(codes[0]), int(codes[-1]) + 1)]
    first, last = int(codes[0][:4]) * 12 + int(codes[0][5:]) - 1, int(codes[-1][:4]) * 12 + int(
        codes[-1][5:]) - 1
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, last + 1)]


def _is_date_code(code: str, unit: str) -> bool:
    if unit == "year":
        return code.isdigit() and len(code) == 4
    return len(code) == 7 and code[4] == "-" and code[:4].isdigit() and code[5:].isdigit()


def _code(value: object) -> str:
    return "" if value is None else str(value)
