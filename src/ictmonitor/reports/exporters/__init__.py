"""Every file a report can be downloaded as, made from one Result: json, csv, xlsx and pdf."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ictmonitor.reports.definitions import Result

FORMATS = ("json", "csv", "xlsx", "pdf")

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
MODULES = {"json": "jsonfile", "csv": "csvfile", "xlsx": "xlsx", "pdf": "pdf"}


def _exporter(fmt: str) -> Callable[[Result], bytes]:
    if fmt not in FORMATS:
        raise ValueError(f"no export format {fmt!r}; there are: {', '.join(FORMATS)}")
    return import_module(f"{__name__}.{MODULES[fmt]}").export


def export(result: Result, fmt: str) -> bytes:
    """The result as a file in a format (one of FORMATS)."""
    return _exporter(fmt)(result)


def content_type(fmt: str) -> str:
    """The media type to serve a format with."""
    if fmt not in FORMATS:
        raise ValueError(f"no export format {fmt!r}; there are: {', '.join(FORMATS)}")
    return CONTENT_TYPES[fmt]


def file_name(result: Result, fmt: str) -> str:
    """A file name that says what is in it: `pupils-by-level-province-2026-11-22.csv`."""
    if fmt not in FORMATS:
        raise ValueError(f"no export format {fmt!r}; there are: {', '.join(FORMATS)}")
    parts = [result.report.id]
    if result.dimensions:
        parts += ["by", *(d.replace("_", "-") for d in result.dimensions)]
    if result.parameters.year is not None:
        parts.append(str(result.parameters.year))
    parts.append(result.parameters.at.isoformat())
    if result.parameters.public:
        parts.append("public")
    return "-".join(parts) + f".{fmt}"
