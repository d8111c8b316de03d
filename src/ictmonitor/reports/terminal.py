"""A report as a plain-text table for the terminal."""

from __future__ import annotations

from typing import Any

from ictmonitor.reports.definitions import RATE, Result


def cell(result: Result, row: dict[str, Any], code: str) -> str:
    """One measure of one row as a person reads it: 1,234 / 12.5% / <10."""
    value = row.get(code)
    if value is None:
        return "<10" if row.get(f"{code}_flag") == "c" else ""
    if result.report.measure(code).kind == RATE:
        return f"{100 * value:.1f}%"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def text_table(result: Result) -> str:
    """The rows, a total line, and the rule when public, aligned in columns."""
    language = result.parameters.language
    head = [d for d in result.dimensions] + [
        result.report.measure(m).label(language) for m in result.measures
    ]
    body = [
        [result.labels[d].get("" if row[d] is None else str(row[d]), str(row[d]))
         for d in result.dimensions]
        + [cell(result, row, m) for m in result.measures]
        for row in result.rows
    ]
    totals = [cell(result, result.totals, m) for m in result.measures]
    if result.dimensions:
        label = "totaal" if language == "nl" else "total"
        body.append([label, *[""] * (len(result.dimensions) - 1), *totals])
    else:
        body.append(totals)
    widths = [max(len(str(line[i])) for line in [head, *body]) for i in range(len(head))]
    dims = len(result.dimensions)

    def line(values: list[str]) -> str:
        return "  ".join(
            str(v).ljust(w) if i < dims else str(v).rjust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    out = [result.report.question(language), "", line(head),
           line(["-" * w for w in widths]), *(line(r) for r in body)]
    if result.rule:
        out += ["", result.rule]
    return "\n".join(out) + "\n"
