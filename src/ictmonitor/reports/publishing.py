"""Open data: every public report as CSV, described by a Frictionless data package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils import timezone

from ictmonitor.reports.definitions import COUNT, MONEY, RATE, Parameters, Report, Result
from ictmonitor.reports.engine import catalogue, run_report
from ictmonitor.reports.exporters import export
from ictmonitor.reports.formatting import SUPPRESSED
from ictmonitor.reports.labels import UNKNOWN

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
FIELD_TYPES = {COUNT: "integer", RATE: "number", MONEY: "number"}


def publish(folder: Path, at: Any, language: str = "nl",
            progress: Any = None) -> list[Path]:
    """Write each public report's CSV and the datapackage.json describing them; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    resources, written = [], []
    reports = [r for r in catalogue().values() if r.public]
    for number, report in enumerate(reports, 1):
        if progress:
            progress(number, len(reports), report.id)
        result = run_report(report, Parameters(by=tuple(report.typical_by), at=at, public=True,
                                               language=language))
        path = folder / f"{report.id}.csv"
        path.write_bytes(export(result, "csv"))
        written.append(path)
        resources.append(resource(result, path.name))
    package = {
        "profile": "tabular-data-package",
        "name": "ictmonitor",
        "title": "ictmonitor: " + ("publicaties" if language == "nl" else "publications"),
        "created": timezone.localtime().isoformat(timespec="seconds"),
        "licenses": [LICENCE],
        "resources": resources,
    }
    index = folder / "datapackage.json"
    index.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, index]


def resource(result: Result, path: str) -> dict[str, Any]:
    """The data-package entry for one report's CSV: its fields, their meaning, the rule."""
    report: Report = result.report
    language = result.parameters.language
    fields: list[dict[str, Any]] = []
    for dimension in result.dimensions:
        fields.append({"name": dimension, "type": "string"})
        fields.append({"name": f"{dimension}_label", "type": "string"})
    for measure in report.measures:
        field = {"name": measure.code, "type": FIELD_TYPES[measure.kind],
                 "title": measure.label(language)}
        if measure.kind == RATE:
            field["description"] = "fraction 0-1"
        if measure.kind == MONEY:
            field["description"] = "EUR"
        fields.append(field)
    described: dict[str, Any] = {
        "name": report.id,
        "path": path,
        "profile": "tabular-data-resource",
        "title": report.title(language),
        "description": " ".join(filter(None, [report.question(language), result.rule])),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": True},
        "schema": {"fields": fields, "missingValues": ["", SUPPRESSED, UNKNOWN(language)]},
        "sources": [{"title": report.source(language)}],
        "licenses": [LICENCE],
    }
    if result.annotations.lines:  # a model's assumptions (the tariff's scenario)
        described["notes"] = [{"title": key, "text": text}
                              for key, text in result.annotations.lines]
    return described
