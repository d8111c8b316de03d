"""What a report is: a question, the dimensions it breaks down by, its measures and its query.

A report is one small declarative `Report` in reports/catalogue/; `run_report` turns it and the
user's `Parameters` into a `Result`, the one structure every output (JSON, CSV, XLSX, PDF, the
page and its chart) is made from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from ictmonitor.core.translation import Message
from ictmonitor.core.translation import message as _

COUNT, RATE, MONEY = "count", "rate", "money"


class ReportError(ValueError):
    """The report or its parameters are not what the catalogue offers; the message says why."""


@dataclass(frozen=True)
class Measure:
    """A number a report gives per row: a count, a rate (0–1) or an amount in euros.

    `sensitive` counts (pupils, vouchers) fall under disclosure control; a rate names the two
    counts it is computed from, so it is suppressed with them. A `stock` (pupils, institutions,
    valid labels, active lines) is never added across dates: broken down by year or month, its
    total is left empty. A measure whose value is a code (a line's `status`) may name each
    code's `words`: people read those; the JSON and the CSV keep the codes.
    """

    code: str
    label: Message
    kind: str = COUNT
    sensitive: bool = False
    rate_of: tuple[str, str] | None = None
    stock: bool = False
    words: tuple[tuple[str, Message], ...] = ()


@dataclass(frozen=True)
class Parameters:
    """What the user asked for: the breakdown, the date, the year, and whether it is public."""

    by: tuple[str, ...] = ()
    at: date = field(default_factory=timezone.localdate)
    year: int | None = None
    split: date | None = None
    public: bool = False
    language: str = "nl"
    options: Mapping[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The parameters as the JSON output states them."""
        out: dict[str, Any] = {"by": list(self.by), "at": self.at.isoformat(),
                               "public": self.public}
        if self.year is not None:
            out["year"] = self.year
        if self.split is not None:
            out["split"] = self.split.isoformat()
        out.update(self.options)
        return out


@dataclass(frozen=True)
class Annotations:
    """What a report states beside its figures, such as a model's assumptions.

    `data` goes into the JSON document under its own keys (`assumptions`, `financing`, ...);
    `lines` are (heading, text) pairs in the report's language, for people: the page, the PDF,
    the XLSX workbook and the CSV's data package print them.
    """

    data: Mapping[str, Any] = field(default_factory=dict)
    lines: Sequence[tuple[str, str]] = ()


Rows = list[dict[str, Any]]
Computation = Callable[[Parameters], tuple[Rows, dict[str, Any]]]
"""Gives the rows (dimension values and measures) and the totals, computed in the database."""


@dataclass(frozen=True)
class Report:
    """One entry of the catalogue."""

    id: str
    title: Message
    question: Message
    dimensions: Sequence[str]
    measures: Sequence[Measure]
    compute: Computation
    typical_by: Sequence[str] = ()
    uses: frozenset[str] = frozenset({"at"})
    source: Message = _("ictmonitor")
    public: bool = True
    # Sensitive reports: the dimensions disclosure control may sum over, most expendable first
    # (the others are separate tables, like school years); see reports/protection.py.
    protect_order: Sequence[str] = ()
    # Dimensions that describe a unit rather than a count (a school's level and province): each
    # release's frozen table keeps them as the unit's earlier release had them, so a school that
    # moves does not make a released count fall (reports/frozen.py).
    unit_attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # A report computed from a model states what it assumed: its Annotations for the parameters.
    annotate: Callable[[Parameters], Annotations] | None = None

    def measure(self, code: str) -> Measure:
        """The measure with this code."""
        return next(m for m in self.measures if m.code == code)

    @property
    def sensitive(self) -> bool:
        """Whether any measure falls under disclosure control."""
        return any(m.sensitive for m in self.measures)


@dataclass
class Result:
    """A report's figures for one set of parameters, ready for any output."""

    report: Report
    parameters: Parameters
    generated_at: datetime
    dimensions: list[str]
    rows: Rows
    totals: dict[str, Any]
    labels: dict[str, dict[str, str]]
    rule: str | None = None
    annotations: Annotations = field(default_factory=Annotations)

    @property
    def measures(self) -> list[str]:
        """The measure codes, in the report's order."""
        return [m.code for m in self.report.measures]

    def as_json(self) -> dict[str, Any]:
        """The JSON document reports.md specifies."""
        return {
            "report": self.report.id,
            "title": self.report.title(self.parameters.language),
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "parameters": self.parameters.as_json(),
            "dimensions": self.dimensions,
            "measures": self.measures,
            "rows": self.rows,
            "totals": self.totals,
            "labels": self.labels,
            "rule": self.rule,
            **self.annotations.data,
        }
