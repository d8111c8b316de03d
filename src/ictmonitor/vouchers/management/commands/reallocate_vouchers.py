"""ictmonitor reallocate-vouchers --wave CODE [--dry-run]: idle codes to waiting requests."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ictmonitor.vouchers.models import Wave
from ictmonitor.vouchers.services import reallocate


class Command(BaseCommand):
    help = ("Give codes issued but not handed out after the wave's number of days to requests "
            "that are still waiting, oldest request first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wave", required=True, metavar="CODE", help="e.g. 2020-spring")
        parser.add_argument("--dry-run", action="store_true",
                            help="list what would move; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        wave = Wave.objects.filter(code=options["wave"]).first()
        if wave is None:
            known = ", ".join(Wave.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"--wave {options['wave']}: no such wave; there are: "
                               f"{known or 'none'}")
        dry = options["dry_run"]
        moves = reallocate(wave, by=f"{getpass.getuser()} (command line)", dry_run=dry)
        for move in moves:
            self.stdout.write(f"{move.provider}/{move.code}: {move.from_requester} → "
                              f"{move.to_requester} (request #{move.to_request})")
        verb = "would move" if dry else "moved"
        self.stdout.write(f"{wave.code}: {verb} {len(moves)} codes"
                          + (" (dry run: nothing changed)" if dry else ""))
