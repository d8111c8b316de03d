"""`ictmonitor notify`: the daily run of notifications (run it once a day, e.g. from cron or a
systemd timer): what happened since the last run, kept per user, and one e-mail each."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ictmonitor.notifications.services import run_daily


class Command(BaseCommand):
    help = "Find what happened since the last run, notify each user, send the daily e-mails."

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_daily()
        self.stdout.write(f"{result.events} events, {result.notifications} new notifications, "
                          f"{result.emails} e-mails sent")
