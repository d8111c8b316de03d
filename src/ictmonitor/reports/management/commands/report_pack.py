"""ictmonitor report-pack: every report of the catalogue in one PDF, each under its question."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ictmonitor.reports.engine import ReportError, catalogue, run_report
from ictmonitor.reports.exporters.pdf import render_pack
from ictmonitor.reports.management.commands._options import (
    add_parameter_options,
    parameters_from,
)


class Command(BaseCommand):
    help = "Render the parliamentary answer pack: every report in one PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        add_parameter_options(parser, breakdown=False)
        parser.add_argument("--output", type=Path, required=True, metavar="FILE.pdf")

    def handle(self, *args: Any, **options: Any) -> None:
        results = []
        reports = [r for r in catalogue().values() if r.typical_by is not None]
        for number, report in enumerate(reports, 1):
            self.stderr.write(f"[{number}/{len(reports)}] {report.id}")
            parameters = parameters_from({**options, "by": ",".join(report.typical_by)})
            try:
                results.append(run_report(report, parameters))
            except ReportError as error:
                raise CommandError(f"{report.id}: {error}") from None
        self.stderr.write(f"rendering {len(results)} reports")
        options["output"].write_bytes(render_pack(results, options["language"]))
        self.stderr.write(f"{options['output']}: {len(results)} reports")
