"""A report as a plain-text table for the terminal: the table people read (formatting.table),
its figures as the page shows them, aligned in columns."""

from __future__ import annotations

from ictmonitor.reports.definitions import Result
from ictmonitor.reports.formatting import table


def text_table(result: Result) -> str:
    """The rows, a total line, and the rule when public, aligned in columns. A measure that
    lists codes (a school's modules) reads as text, left-aligned; a school has its number."""
    language = result.parameters.language
    laid_out = table(result, language)
    dims = len(laid_out.dimension_headers) if result.dimensions else 0
    head = [*laid_out.dimension_headers[:dims], *laid_out.measure_headers]
    body = [[*labels, *(cell.text for cell in cells)] for labels, cells in laid_out.rows]
    totals = [cell.text for cell in laid_out.totals]
    body.append([laid_out.total_label, *[""] * (dims - 1), *totals] if dims else totals)
    texts = set(laid_out.text_measures) | {i for i, m in enumerate(result.report.measures)
                                           if isinstance(result.totals.get(m.code), str)}
    left = set(range(dims)) | {dims + i for i in texts}
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]

    def line(values: list[str]) -> str:
        return "  ".join(
            value.ljust(width) if i in left else value.rjust(width)
            for i, (value, width) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    out = [result.report.question(language), "", line(head),
           line(["-" * w for w in widths]), *(line(r) for r in body)]
    if result.rule:
        out += ["", result.rule]
    return "\n".join(out) + "\n"
