"""ictmonitor report-pack: every report of the catalogue in one PDF, each under its question."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ictmonitor.reports import packs
from ictmonitor.reports.definitions import ReportError
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
        def told(done: int, total: int, step: str) -> None:
            self.stderr.write(f"[{done + 1}/{total}] {step}")

        try:
            pdf, count = packs.render(parameters_from(options), told)
        except ReportError as error:
            raise CommandError(str(error)) from None
        options["output"].write_bytes(pdf)
        self.stderr.write(f"{options['output']}: {count} reports")
