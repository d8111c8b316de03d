"""ictmonitor load-catalogue [FILE]: offers, modules and providers' prices from YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ictmonitor.connectivity.catalogue import DEFAULT_FILE, CatalogueError, load


class Command(BaseCommand):
    help = "Load or update the connectivity catalogue (offers, modules, prices)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            load(options["file"])
        except (CatalogueError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{options['file']}: catalogue loaded")
