"""ictmonitor prune-measurements: drop raw measurements older than the retention (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ictmonitor.measurements import partitioning


class Command(BaseCommand):
    help = ("Remove raw line measurements older than ICTMONITOR_MEASUREMENT_RETENTION_DAYS "
            "(day rollups stay); on PostgreSQL also makes the coming months' partitions.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, metavar="N",
                            help="keep N days instead of the setting")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] is not None and options["days"] < 1:
            self.stderr.write("--days: at least 1")
            raise SystemExit(2)
        done = partitioning.prune(options["days"])
        dropped = done["partitions_dropped"]
        self.stdout.write(
            f"raw measurements before {done['cutoff']:%Y-%m-%d %H:%M} UTC removed: "
            f"{len(dropped)} partitions dropped{' (' + ', '.join(dropped) + ')' if dropped else ''}"
            f", {done['rows_deleted']:,} rows deleted")
