"""ictmonitor extend-wave --wave CODE --until YYYY-MM-DD: a wave's agreements extended wholesale."""

from __future__ import annotations

import getpass
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ictmonitor.vouchers.models import Wave
from ictmonitor.vouchers.services import VoucherError, extend_wave


class Command(BaseCommand):
    help = ("Extend every activated code of a wave still valid today to a day (the agreements "
            "extended wholesale, say to the end of the school year); each code's change is "
            "audited.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wave", required=True, metavar="CODE", help="e.g. 2020-spring")
        parser.add_argument("--until", required=True, metavar="YYYY-MM-DD",
                            help="the day the codes run to")

    def handle(self, *args: Any, **options: Any) -> None:
        wave = Wave.objects.filter(code=options["wave"]).first()
        if wave is None:
            known = ", ".join(Wave.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"--wave {options['wave']}: no such wave; there are: "
                               f"{known or 'none'}")
        try:
            until = date.fromisoformat(options["until"])
        except ValueError:
            raise CommandError(f"--until {options['until']!r} is not a date written "
                               "YYYY-MM-DD") from None
        try:
            count = extend_wave(wave, until, by=f"{getpass.getuser()} (command line)")
        except VoucherError as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"{wave.code}: {count} activated codes now run to {until}")
