"""ictmonitor publish --output DIR: every public report as CSV plus datapackage.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ictmonitor.reports.management.commands._options import parameters_from
from ictmonitor.reports.publishing import publish


class Command(BaseCommand):
    help = "Write every public report (under disclosure control) as open data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True, metavar="DIR")
        parser.add_argument("--at", metavar="YYYY-MM-DD", help="the date to report on")
        parser.add_argument("--language", choices=["nl", "en"], default="nl")

    def handle(self, *args: Any, **options: Any) -> None:
        parameters = parameters_from({**options, "public": True})
        written = publish(
            options["output"], parameters.at, options["language"],
            progress=lambda n, total, name: self.stderr.write(f"[{n}/{total}] {name}"),
        )
        for path in written:
            self.stdout.write(str(path))
