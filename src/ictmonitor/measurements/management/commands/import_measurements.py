"""ictmonitor import measurements FILE: line measurements delivered as a file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext_noop

from ictmonitor.core.importcommand import ImportCommand
from ictmonitor.measurements.importers import import_measurements


class Command(ImportCommand):
    help = ("Import line measurements (contracts/measurements.md), whole or not; rows stored "
            "already change nothing.")
    what = gettext_noop("measurements")

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--provider", metavar="CODE",
                            help="refuse measurements of lines of any other provider")

    def handle(self, *args: Any, **options: Any) -> None:
        self.provider = options["provider"]
        super().handle(*args, **options)

    def importer(self, path: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """The measurements importer, confined to --provider when given."""
        return import_measurements(path, provider=self.provider, **kwargs)
