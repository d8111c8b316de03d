"""PDF through WeasyPrint: one report, or the parliamentary answer pack of several.

Both share reports/pdf.html (the pack extends it with a title page and contents) and the
accessible table of the report page (reports/_table.html). Nothing is fetched from the
network: the chart is an inline SVG data URI, the stylesheet and fonts are local.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from ictmonitor.core.pdf import html_to_pdf
from ictmonitor.core.translation import grouped
from ictmonitor.core.translation import message as _
from ictmonitor.reports.charts import chart_svg
from ictmonitor.reports.definitions import Result
from ictmonitor.reports.formatting import (
    capitalised,
    dimension_name,
    format_date,
    format_datetime,
    parameter_lines,
    word,
)

STATIC = Path(__file__).resolve().parent.parent / "static" / "reports"
# A paper table stops here (rendering thousands of rows takes WeasyPrint minutes); the note
# under the parameters says so, and CSV and XLSX carry every row.
PDF_ROW_LIMIT = 500
WIDE_COLUMNS = 8  # more columns than this and the table is printed on a landscape page
ROWS_WORD = _("Rows")
LIMIT_NOTE = _("The first {shown} of {total} rows; the CSV and XLSX downloads hold the whole "
               "table. The total covers every row.")


def export(result: Result) -> bytes:
    """The result as an A4 PDF in its own language."""
    language = result.parameters.language
    context = _document(language, result.report.title(language), result.generated_at)
    context["sections"] = [_section(result, language, 1)]
    return _render("reports/pdf.html", context, language)


def render_pack(results: Sequence[Result], language: str = "nl") -> bytes:
    """Several results in one PDF: a title page with contents, then each under its question."""
    stamp = max((r.generated_at for r in results), default=timezone.localtime())
    title = word("pack", language)
    context = _document(language, title, stamp)
    context["sections"] = [_section(r, language, n) for n, r in enumerate(results, 1)]
    context["date"] = format_date(stamp.date(), language)
    context["contents_title"] = word("contents", language)
    return _render("reports/pack.html", context, language)


def _document(language: str, title: str, stamp: Any) -> dict[str, Any]:
    page = word("page", language)
    before, rest = page.split("{page}")
    middle, after = rest.split("{pages}")
    counter = (f'"{before}" counter(page) "{middle}" counter(pages)'
               + (f' "{after}"' if after else ""))
    return {"language": language, "document_title": title, "page_counter": counter,
            "created": stamp.isoformat(timespec="seconds")}


def _section(result: Result, language: str, number: int) -> dict[str, Any]:
    notes = []
    if len(result.rows) > PDF_ROW_LIMIT:
        notes.append((ROWS_WORD(language),
                      LIMIT_NOTE(language).format(shown=grouped(PDF_ROW_LIMIT, language),
                                                 total=grouped(len(result.rows), language))))
        result = dataclasses.replace(result, rows=result.rows[:PDF_ROW_LIMIT])
    report = result.report
    svg = chart_svg(result)
    chart = ("data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()) if svg else ""
    measure = report.measures[0].label(language) if report.measures else ""
    chart_alt = ""
    if svg:
        chart_alt = capitalised(word("per", language) % {
            "measure": measure, "dimensions": dimension_name(result.dimensions[0], language)})
    return {
        "result": result,
        "anchor": f"report-{number}-{report.id}",
        "title": report.title(language),
        "question": report.question(language),
        "chart": chart,
        "chart_alt": chart_alt,
        "parameters": parameter_lines(result, language)[1:] + notes
        + list(result.annotations.lines),
        "source": report.source(language),
        "generated": format_datetime(result.generated_at, language),
        "rule": result.rule,
        "wide": len(report.measures) + len(result.dimensions) > WIDE_COLUMNS,
        # Column widths for tables too long to measure (see print.css): headers wrap at spaces.
        "number_width": max([len(w) + 1 for m in report.measures
                             for w in m.label(language).split()] + [9]),
        "code_width": max(len(word("number", language)) + 1, 9),
        "words": {key: word(key, language) for key in ("source", "generated", "rule")},
    }


def _render(template: str, context: dict[str, Any], language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(template, context)
    return html_to_pdf(html, STATIC)

