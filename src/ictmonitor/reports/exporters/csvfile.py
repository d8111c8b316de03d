"""CSV as open data: comma-separated UTF-8, codes beside labels, rates as fractions.

No comment lines, so any CSV reader takes it as it is; the disclosure rule and the column
meanings travel in the data package (`datapackage`) beside it. Written by core.safecsv: a name
that starts like a formula (`=HYPERLINK(…)`) is neutralised, figures stay numbers.
"""

from __future__ import annotations

import io
from typing import Any

from ictmonitor.core.safecsv import csv_writer
from ictmonitor.reports.definitions import COUNT, MONEY, RATE, Result
from ictmonitor.reports.exporters import file_name
from ictmonitor.reports.formatting import SUPPRESSED, dimension_name, is_suppressed, word


def export(result: Result) -> bytes:
    """The result as CSV: per dimension its code and `<dim>_label`, the measures, a total row."""
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(header(result))
    measures = result.measures
    dims = result.dimensions
    if dims:
        for row in result.rows:
            cells: list[Any] = []
            for dim in dims:
                value = row.get(dim)
                code = "" if value is None else str(value)
                cells += [code, result.labels.get(dim, {}).get(code, code)]
            writer.writerow(cells + [_value(row, m) for m in measures])
    total: list[Any] = []
    if dims:
        total = ["total", word("total", result.parameters.language)] + ["", ""] * (len(dims) - 1)
    writer.writerow(total + [_value(result.totals, m) for m in measures])
    return out.getvalue().encode("utf-8")


def header(result: Result) -> list[str]:
    """The column names: `province`, `province_label`, …, then the measure codes."""
    names: list[str] = []
    for dim in result.dimensions:
        names += [dim, f"{dim}_label"]
    return names + result.measures


def _value(cells: dict[str, Any], code: str) -> Any:
    """A measure as it is (a number stays a number, for the writer to keep it one)."""
    if is_suppressed(cells, code):
        return SUPPRESSED
    return cells.get(code)


def datapackage(result: Result, path: str | None = None) -> dict[str, Any]:
    """A Frictionless data package describing the CSV: fields, units, source and the rule."""
    language = result.parameters.language
    path = path or file_name(result, "csv")
    fields: list[dict[str, Any]] = []
    for dim in result.dimensions:
        name = dimension_name(dim, language)
        fields += [{"name": dim, "type": "string", "title": f"{name} (code)"},
                   {"name": f"{dim}_label", "type": "string", "title": name}]
    for measure in result.report.measures:
        field: dict[str, Any] = {"name": measure.code, "title": measure.label(language),
                                 "type": "integer" if measure.kind == COUNT else "number"}
        if measure.kind == COUNT and any(isinstance(row.get(measure.code), float)
                                         for row in result.rows):
            field["type"] = "number"
        if measure.kind == RATE:
            field["description"] = "fraction from 0 to 1"
        if measure.kind == MONEY:
            field["description"] = "euro"
        fields.append(field)
    resource: dict[str, Any] = {
        "name": path.rsplit(".", 1)[0].lower(),
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": True},
        "schema": {"fields": fields, "missingValues": ["", SUPPRESSED]},
        "sources": [{"title": result.report.source(language)}],
    }
    package: dict[str, Any] = {
        "name": resource["name"],
        "title": result.report.title(language),
        "description": result.report.question(language),
        "created": result.generated_at.isoformat(timespec="seconds"),
        "resources": [resource],
    }
    if result.annotations.lines:  # what a model assumed: the CSV itself has no comment lines
        package["notes"] = [{"title": key, "text": text}
                            for key, text in result.annotations.lines]
    if result.rule:
        package["disclosure_control"] = result.rule
        resource["description"] = f"{SUPPRESSED}: {result.rule}"
    return package
