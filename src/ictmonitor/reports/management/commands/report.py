"""ictmonitor report ID: one report, as reports.md specifies, in any format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ictmonitor.reports.engine import ReportError, catalogue, get_report, run_report
from ictmonitor.reports.exporters import FORMATS, export
from ictmonitor.reports.management.commands._options import (
    add_parameter_options,
    parameters_from,
)
from ictmonitor.reports.terminal import text_table


class Command(BaseCommand):
    help = "Run a report from the catalogue: " + ", ".join(catalogue())

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("report", help="the report's id")
        add_parameter_options(parser)
        parser.add_argument("--format", choices=[*FORMATS, "text"],
                            help="json (the default when piped), csv, xlsx, pdf; "
                                 "text, a table for the terminal (the default there)")
        parser.add_argument("--output", type=Path, metavar="FILE",
                            help="write to this file instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = get_report(options["report"])
            result = run_report(report, parameters_from(options))
        except ReportError as error:
            raise CommandError(str(error)) from None
        output: Path | None = options["output"]
        tty = output is None and sys.stdout.isatty()
        fmt = options["format"] or (_format_of(output) if output else ("text" if tty else "json"))
        if fmt == "text":
            data = text_table(result).encode()
        elif fmt in {"xlsx", "pdf"} and tty:
            raise CommandError(f"{fmt} is a binary format: give --output FILE.{fmt}")
        else:
            data = export(result, fmt)
        if output:
            output.write_bytes(data)
            self.stderr.write(f"{output}: {report.id} ({fmt}, {len(result.rows):,} rows)")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()


def _format_of(path: Path) -> str:
    """The format a file name asks for (report.xlsx → xlsx), json when it says nothing."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "json"
