"""The parliamentary answer pack: every report of the catalogue in one PDF, each under its
question. `ictmonitor report-pack` makes it in the foreground, the dashboard's button as a
background job (reports/work.py): the same code, with its progress told to either."""

from __future__ import annotations

from collections.abc import Callable

from ictmonitor.reports.definitions import Parameters, ReportError, Result
from ictmonitor.reports.engine import catalogue, run_report
from ictmonitor.reports.exporters.pdf import render_pack

Progress = Callable[[int, int, str], None]


def pack_results(parameters: Parameters, progress: Progress | None = None) -> list[Result]:
    """Every report of the catalogue with its typical breakdown, on these parameters' date;
    ReportError names the report that cannot be made."""
    results = []
    reports = [r for r in catalogue().values() if r.typical_by is not None]
    for number, report in enumerate(reports, 1):
        if progress:
            progress(number - 1, len(reports) + 1, report.id)
        try:
            results.append(run_report(report, Parameters(
                by=tuple(report.typical_by), at=parameters.at, public=parameters.public,
                language=parameters.language, options=parameters.options)))
        except ReportError as error:
            raise ReportError(f"{report.id}: {error}") from None
    return results


def render(parameters: Parameters, progress: Progress | None = None) -> tuple[bytes, int]:
    """The pack as PDF bytes, and how many reports it holds."""
    results = pack_results(parameters, progress)
    if progress:
        progress(len(results), len(results) + 1, "pdf")
    return render_pack(results, parameters.language), len(results)
