"""Numbers, percentages, `x` (suppressed), dates and names as people read them, in Dutch or English.

Every output meant for people (the page, its table, the PDF, the XLSX footer, chart titles)
formats through here, so a figure reads the same wherever it appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.core.translation import month_name
from ictmonitor.reports.definitions import MONEY, RATE, Measure, Result

SUPPRESSED = "x"  # reports.md: never a range such as <10, which a hidden cell may not be in
LONG_TABLE = 300
"""Rows from which a table is laid out with fixed column widths (much faster on paper)."""
FLAG = "c"

WORDS = {
    "total": _("Total"),
    "source": _("Source"),
    "generated": _("Generated on"),
    "rule": _("Disclosure control"),
    "page": _("Page {page} of {pages}"),
    "per": _("%(measure)s by %(dimensions)s"),
    "and": _("and"),
    "top": _("Top {n} of {of}"),
    "suppressed": _("suppressed (see the rule below the table)"),
    "parameters": _("Parameters"),
    "pack": _("Parliamentary answer pack"),
    "contents": _("Contents"),
    "question": _("Question"),
    "report": _("Report"),
    "at": _("Reference date"),
    "by": _("Broken down by"),
    "public": _("Public (disclosure control applied)"),
    "yes": _("yes"),
    "no": _("no"),
    "nothing": _("none"),
    "number": _("number"),
}

DIMENSIONS = {
    "province": _("province"),
    "level": _("level"),
    "special": _("special education"),
    "network": _("network"),
    "board": _("school board"),
    "school": _("school"),
    "offer": _("offer"),
    "module": _("module"),
    "provider": _("provider"),
    "wave": _("wave"),
    "requested_by": _("requested by"),
    "reason": _("reason"),
    "month": _("month"),
    "year": _("year"),
    "period": _("period"),
    "label_level": _("label level"),
    "area": _("area"),
    "kind": _("kind"),
}


def word(key: str, language: str) -> str:
    """A fixed phrase of the report outputs in a language."""
    return WORDS[key](language)


def dimension_name(dimension: str, language: str) -> str:
    """The display name of a dimension (`province` → `provincie`)."""
    text = DIMENSIONS.get(dimension)
    return text(language) if text else dimension.replace("_", " ")


def capitalised(text: str) -> str:
    """The text with its first letter upper case (for headers and titles)."""
    return text[:1].upper() + text[1:]


def value_label(result: Result, dimension: str, value: object) -> str:
    """The display name of a dimension value, as `result.labels` gives it."""
    key = "" if value is None else str(value)
    return result.labels.get(dimension, {}).get(key, key)


def is_suppressed(cells: dict[str, Any], code: str) -> bool:
    """Whether disclosure control suppressed this measure in a row or the totals."""
    return cells.get(f"{code}_flag") == FLAG


def _grouped(value: float, decimals: int, language: str) -> str:
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if language != "en" else text


def format_number(value: Any, kind: str, language: str) -> str:
    """A measure's value as text: `1.234` / `1,234`, `12,3%` / `12.3%`, `€ 1.234,50`."""
    if value is None:
        return ""
    if isinstance(value, str):  # a list of codes (`firewall|wifi`) some reports give per row
        return value.replace("|", ", ")
    if isinstance(value, Decimal):
        value = float(value)
    if kind == RATE:
        return _grouped(value * 100, 1, language) + "%"
    if kind == MONEY:
        amount = _grouped(value, 2, language)
        return f"€\u00a0{amount}" if language != "en" else f"€{amount}"
    integral = isinstance(value, int) or float(value).is_integer()
    return _grouped(value, 0 if integral else 2, language)


def format_cell(cells: dict[str, Any], measure: Measure, language: str) -> str:
    """One measure of a row (or the totals) as text; `x` when suppressed."""
    if is_suppressed(cells, measure.code):
        return SUPPRESSED
    value = cells.get(measure.code)
    if measure.words and isinstance(value, str):
        words = dict(measure.words)
        return ", ".join(words[code](language) if code in words else code
                         for code in value.split("|"))
    return format_number(value, measure.kind, language)


def format_datetime(moment: datetime, language: str) -> str:
    """`22 november 2026, 10:00` / `22 November 2026, 10:00`."""
    return f"{format_date(moment.date(), language)}, {moment:%H:%M}"


def format_date(day: date, language: str) -> str:
    """`22 november 2026` / `22 November 2026`."""
    month = month_name(day.month, "en" if language == "en" else "nl")
    return f"{day.day} {month} {day.year}"


def parameter_lines(result: Result, language: str) -> list[tuple[str, str]]:
    """What was asked, as (name, value) pairs people can read."""
    p = result.parameters
    by = ", ".join(dimension_name(d, language) for d in p.by) or word("nothing", language)
    lines = [(word("report", language), result.report.id), (word("by", language), by),
             (word("at", language), format_date(p.at, language))]
    if p.year is not None:
        lines.append((capitalised(dimension_name("year", language)), str(p.year)))
    if p.split is not None:
        lines.append((capitalised(dimension_name("period", language)), p.split.isoformat()))
    lines.extend((str(k), str(v)) for k, v in p.options.items())
    lines.append((word("public", language), word("yes" if p.public else "no", language)))
    return lines


@dataclass
class Cell:
    """One table cell: its text, whether it is a suppressed figure, whether it is a number."""

    text: str
    suppressed: bool = False
    numeric: bool = True


@dataclass
class Table:
    """A result laid out as a table people read: caption, headers, rows and the totals."""

    caption: str
    dimension_headers: list[str]
    measure_headers: list[str]
    rows: list[tuple[list[str], list[Cell]]] = field(default_factory=list)
    totals: list[Cell] = field(default_factory=list)
    total_label: str = ""
    suppressed_note: str = ""
    long: bool = False
    code_columns: tuple[int, ...] = ()
    text_measures: tuple[int, ...] = ()


def table(result: Result, language: str | None = None) -> Table:
    """The result as a table in a language (the result's own unless another is asked for)."""
    language = language or result.parameters.language
    measures = list(result.report.measures)
    dims = result.dimensions

    textual = tuple(i for i, m in enumerate(measures)
                    if any(isinstance(row.get(m.code), str) for row in result.rows))

    def cells(values: dict[str, Any]) -> list[Cell]:
        return [Cell(format_cell(values, m, language), is_suppressed(values, m.code),
                     i not in textual) for i, m in enumerate(measures)]

    headers: list[str] = []
    codes: list[int] = []
    for dim in dims:
        if dim == "school":  # names repeat; the number is how people look a school up
            codes.append(len(headers))
            headers.append(capitalised(word("number", language)))
        headers.append(capitalised(dimension_name(dim, language)))
    out = Table(
        caption=result.report.question(language),
        dimension_headers=headers,
        code_columns=tuple(codes),
        text_measures=textual,
        measure_headers=[capitalised(m.label(language)) for m in measures],
        totals=cells(result.totals),
        total_label=word("total", language),
        suppressed_note=word("suppressed", language),
    )
    if dims:
        out.rows = [(_labels(result, row), cells(row)) for row in result.rows]
        out.long = len(out.rows) > LONG_TABLE
    return out


def _labels(result: Result, row: dict[str, Any]) -> list[str]:
    labels = []
    for dim in result.dimensions:
        if dim == "school":
            labels.append("" if row.get(dim) is None else str(row[dim]))
        labels.append(value_label(result, dim, row.get(dim)))
    return labels
