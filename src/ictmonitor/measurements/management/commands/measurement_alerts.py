"""`ictmonitor measurement-alerts [--today YYYY-MM-DD]`: raise and resolve the measurement
alerts (measurements/alerts.py); run it daily."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ictmonitor.measurements import alerts


class Command(BaseCommand):
    help = "Raise and resolve the alerts on measured lines (below contract, devices dropped, " \
           "backup lines never used)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default=None, help="the day to judge (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today {options['today']!r} is not a date written "
                                   "YYYY-MM-DD") from None
        done = alerts.refresh(today)
        self.stdout.write(f"{len(done.raised)} alerts raised, {done.resolved} resolved")
