"""`ictmonitor notify`: the daily run of notifications: what happened since the last run, kept
per user, and one e-mail each. Run it once a day (cron, a timer), or once with `--schedule`:
the worker then runs it every day at DIGEST_HOUR."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ictmonitor.notifications.services import run_daily
from ictmonitor.notifications.tasks import schedule


class Command(BaseCommand):
    help = "Find what happened since the last run, notify each user, send the daily e-mails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schedule", action="store_true",
                            help="queue the daily run on the worker instead (every day from "
                                 "then on) and run nothing now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            when = schedule()
            self.stdout.write(f"the daily run is queued for {when.isoformat()}" if when
                              else "the daily run was queued already")
            return
        result = run_daily()
        self.stdout.write(f"{result.events} events, {result.notifications} new notifications, "
                          f"{result.emails} e-mails sent")
