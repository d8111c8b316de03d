"""An Excel workbook for people: the table as an Excel table, totals, a footer, a native chart
(the look of core/workbook.py, which writes a plain table the same way).

Figures stay numbers (formatted by Excel in the reader's own locale); suppressed cells are the
text `x`. The chart reads a small block on its own sheet so suppressed cells are gaps, not 0.
"""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal
from typing import Any, TypedDict

import xlsxwriter

from ictmonitor.core.translation import Message, grouped
from ictmonitor.core.translation import message as _
from ictmonitor.core.workbook import sheet_name
from ictmonitor.reports.chartdata import chart_data
from ictmonitor.reports.definitions import MONEY, RATE, Measure, Result
from ictmonitor.reports.formatting import (
    SUPPRESSED,
    capitalised,
    dimension_name,
    format_datetime,
    is_suppressed,
    parameter_lines,
    value_label,
    word,
)

TOP_ROW = 3
# A worksheet has 1,048,576 rows; the table stops well before, with the title and footer around
# it. A table that long says so in its footer, and the CSV download carries every row.
XLSX_ROW_LIMIT = 1_000_000
LIMIT_NOTE = _("The first {shown} of {total} rows, as many as a worksheet holds; the CSV "
               "download holds the whole table. The total covers every row.")
ROWS_WORD = _("Rows")
MAX_CATEGORIES = 40
MAX_SERIES = 12
NUMBER_FORMATS = {RATE: "0.0%", MONEY: '"€" #,##0.00'}


class SheetNames(TypedDict):
    """The extra sheets' names: `about`, and the chart's data per language."""

    about: str
    chart: Message


SHEET_NAMES: SheetNames = {"about": "about",
                           "chart": _("chart data")}


def export(result: Result) -> bytes:
    """The result as an XLSX workbook: report sheet, `about` sheet and the chart's data."""
    language = result.parameters.language
    cut = ""
    if len(result.rows) > XLSX_ROW_LIMIT:
        cut = LIMIT_NOTE(language).format(shown=grouped(XLSX_ROW_LIMIT, language),
                                          total=grouped(len(result.rows), language))
        result = dataclasses.replace(result, rows=result.rows[:XLSX_ROW_LIMIT])
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": result.report.title(language), "author": "ictmonitor",
                         "subject": result.report.question(language),
                         "created": result.generated_at.replace(tzinfo=None)})
    styles = _styles(book)
    sheet = book.add_worksheet(sheet_name(result.report.title(language), "report"))
    sheet.write_string(0, 0, result.report.title(language), styles["title"])
    sheet.write_string(1, 0, result.report.question(language), styles["question"])
    last_row, last_col = _table(sheet, result, styles)
    footer_end = _footer(sheet, result, styles, last_row + 2, cut)
    _about(book.add_worksheet(SHEET_NAMES["about"]), result, styles)
    chart = _chart(book, result)
    if chart is not None:  # under the footer, so it hides no text that runs over
        sheet.insert_chart(footer_end + 1, 0, chart)
    sheet.activate()
    book.close()
    return out.getvalue()


def _styles(book: Any) -> dict[str, Any]:
    base = {"font_name": "Calibri", "font_size": 11}
    make = book.add_format
    styles = {
        "title": make({**base, "bold": True, "font_size": 14}),
        "question": make({**base, "italic": True}),
        "header": make({**base, "bold": True, "font_color": "#FFFFFF", "bg_color": "#1D4F7C",
                        "text_wrap": True, "valign": "top"}),
        "header_num": make({**base, "bold": True, "font_color": "#FFFFFF",
                            "bg_color": "#1D4F7C", "text_wrap": True, "valign": "top",
                            "align": "right"}),
        "label": make(base),
        "note": make({**base, "font_color": "#444444", "text_wrap": True, "valign": "top"}),
        "key": make({**base, "bold": True, "valign": "top"}),
    }
    for total in (False, True):
        extra = {"bold": True, "top": 1} if total else {}
        suffix = "_total" if total else ""
        styles[f"label{suffix}"] = make({**base, **extra})
        styles[f"suppressed{suffix}"] = make({**base, **extra, "align": "right"})
        for kind, number_format in (("count", "#,##0"), ("decimal", "#,##0.00"),
                                    (RATE, NUMBER_FORMATS[RATE]), (MONEY, NUMBER_FORMATS[MONEY])):
            styles[f"{kind}{suffix}"] = make({**base, **extra, "num_format": number_format})
    return styles


def _number_style(measure: Measure, values: list[Any]) -> str:
    if measure.kind in (RATE, MONEY):
        return measure.kind
    whole = all(v is None or isinstance(v, str) or float(v).is_integer() for v in values)
    return "count" if whole else "decimal"


def _write_measure(sheet: Any, row: int, col: int, cells: dict[str, Any], code: str,
                   style: str, styles: dict[str, Any], suffix: str = "") -> float:
    """Write one figure; give back its size (0 when there is no number)."""
    if is_suppressed(cells, code):
        sheet.write_string(row, col, SUPPRESSED, styles[f"suppressed{suffix}"])
        return 0
    value = cells.get(code)
    if value is None:
        sheet.write_blank(row, col, None, styles[f"{style}{suffix}"])
        return 0
    if isinstance(value, str):  # codes joined with `|`, as a few reports give per row
        sheet.write_string(row, col, value.replace("|", ", "), styles[f"label{suffix}"])
        return 0
    number = float(value) if isinstance(value, Decimal) else value
    sheet.write_number(row, col, number, styles[f"{style}{suffix}"])
    return abs(number)


def _number_width(largest: float, style: str) -> int:
    """Characters the largest figure of a column takes as Excel shows it."""
    return len(f"{largest:,.0f}") + (3 if style in (RATE, MONEY, "decimal") else 0)


def _table(sheet: Any, result: Result, styles: dict[str, Any]) -> tuple[int, int]:
    """The table from TOP_ROW, with its totals row under it; gives back its last row and column."""
    language = result.parameters.language
    dims, measures = _dimension_columns(result), list(result.report.measures)
    headers = [header for header, _ in dims]
    headers += [capitalised(m.label(language)) for m in measures]
    headers = _unique(headers)
    widths = [len(h) for h in headers]
    number_styles = [_number_style(m, [r.get(m.code) for r in result.rows]
                                   + [result.totals.get(m.code)]) for m in measures]
    rows = result.rows if result.dimensions else []
    largest = [0.0] * len(measures)
    texts = [0] * len(measures)  # the longest text of a measure that lists codes
    first_data = TOP_ROW + 1
    for offset, row in enumerate(rows):
        r = first_data + offset
        for c, (_code, text) in enumerate(dims):
            label = text(row)
            sheet.write_string(r, c, label, styles["label"])
            widths[c] = max(widths[c], len(label))
        for i, measure in enumerate(measures):
            size = _write_measure(sheet, r, len(dims) + i, row, measure.code,
                                  number_styles[i], styles)
            largest[i] = max(largest[i], size)
            if isinstance(row.get(measure.code), str):
                texts[i] = max(texts[i], len(row[measure.code]) + 2)
    last_col = len(headers) - 1
    if rows:
        sheet.add_table(TOP_ROW, 0, TOP_ROW + len(rows), last_col, {
            "name": "Report", "style": "Table Style Light 15", "autofilter": True,
            "columns": [{"header": h, "header_format": styles["header_num" if c >= len(dims)
                                                              else "header"]}
                        for c, h in enumerate(headers)],
        })
    else:
        for c, h in enumerate(headers):
            sheet.write_string(TOP_ROW, c, h, styles["header_num" if c >= len(dims)
                                                      else "header"])
    total_row = first_data + len(rows)
    sheet.write_string(total_row, 0, word("total", language), styles["label_total"])
    for c in range(1, len(dims)):
        sheet.write_blank(total_row, c, None, styles["label_total"])
    for i, measure in enumerate(measures):
        c = len(dims) + i
        size = _write_measure(sheet, total_row, c, result.totals, measure.code,
                              number_styles[i], styles, "_total")
        widths[c] = max(widths[c], len(SUPPRESSED), texts[i],
                        _number_width(max(largest[i], size), number_styles[i]))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(max(width + 2, 10), 60))
    sheet.freeze_panes(first_data, 0)
    return total_row, last_col


def _dimension_columns(result: Result) -> list[tuple[str, Any]]:
    """A header and a cell text per dimension column; a school gets its number beside its name."""
    language = result.parameters.language
    columns: list[tuple[str, Any]] = []
    for dim in result.dimensions:
        if dim == "school":
            columns.append((capitalised(word("number", language)),
                            lambda row, d=dim: "" if row.get(d) is None else str(row[d])))
        columns.append((capitalised(dimension_name(dim, language)),
                        lambda row, d=dim: value_label(result, d, row.get(d))))
    return columns


def _unique(names: list[str]) -> list[str]:
    """Excel tables need distinct headers."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _footer(sheet: Any, result: Result, styles: dict[str, Any], row: int, cut: str) -> int:
    """Source, date and the rule under the table (and where it was cut); the row after them."""
    language = result.parameters.language
    lines = [(ROWS_WORD(language), cut)] if cut else []
    lines += [(word("source", language), result.report.source(language)),
              (word("generated", language), format_datetime(result.generated_at, language))]
    if result.rule:
        lines.append((word("rule", language), result.rule))
    lines += list(result.annotations.lines)
    for offset, (key, text) in enumerate(lines):
        sheet.write_string(row + offset, 0, key, styles["key"])
        sheet.write_string(row + offset, 1, text, styles["label"])
    return row + len(lines)


def _about(sheet: Any, result: Result, styles: dict[str, Any]) -> None:
    language = result.parameters.language
    lines = [(capitalised(word("question", language)), result.report.question(language)),
             *parameter_lines(result, language),
             (word("source", language), result.report.source(language)),
             (word("generated", language), format_datetime(result.generated_at, language))]
    if result.rule:
        lines.append((word("rule", language), result.rule))
    lines += list(result.annotations.lines)
    for row, (key, text) in enumerate(lines):
        sheet.write_string(row, 0, key, styles["key"])
        sheet.write_string(row, 1, text, styles["note"])
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 90)


def _chart(book: Any, result: Result) -> Any:
    """A native chart of what the page charts (chartdata.py): the first measure by the first
    dimension, coloured by the second, a bar per combination with the third and later ones."""
    data = chart_data(result)
    if data is None:
        return None
    language = result.parameters.language
    measure = data.measure
    categories = {name: c for c, name in enumerate(data.categories())}
    groups = {name: g for g, name in enumerate(data.groups() or [measure.label(language)])}
    if len(categories) > MAX_CATEGORIES or len(groups) > MAX_SERIES:
        return None
    sheet = book.add_worksheet(SHEET_NAMES["chart"]("en" if language == "en" else "nl"))
    sheet.write_string(0, 0, data.category_title(language))
    for name, g in groups.items():
        sheet.write_string(0, g + 1, name)
    for name, c in categories.items():
        sheet.write_string(c + 1, 0, name)
    for point in data.points:  # one per table row: no cell is written twice
        sheet.write_number(categories[point.category] + 1,
                           groups[point.group or measure.label(language)] + 1, point.value)
    second = bool(data.group_dimensions)
    timeline = data.timeline
    stacked = second and measure.kind != RATE and not timeline
    chart = book.add_chart({"type": "line" if timeline else "bar",
                            **({"subtype": "stacked"} if stacked else {})})
    for g in range(len(groups)):
        chart.add_series({
            "name": [sheet.name, 0, g + 1],
            "categories": [sheet.name, 1, 0, len(categories), 0],
            "values": [sheet.name, 1, g + 1, len(categories), g + 1],
            **({"marker": {"type": "circle"}} if timeline else {"gap": 60}),
        })
    chart.set_title({"name": data.title(language), "name_font": {"size": 12}})
    value_axis = {"num_format": NUMBER_FORMATS.get(measure.kind, "#,##0"),
                  "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if timeline:
        chart.set_y_axis(value_axis)
    else:  # a bar chart lists categories bottom-up: turn them to read as the table does
        chart.set_x_axis({"reverse": True, "crossing": "max"})
        chart.set_y_axis(value_axis)
    if not second:
        chart.set_legend({"none": True})
    else:
        chart.set_legend({"position": "top"})
    height = 120 + 22 * len(categories) * (1 if stacked or timeline else len(groups) ** 0.5)
    chart.set_size({"width": 620, "height": max(300, min(int(height), 1100))})
    return chart
