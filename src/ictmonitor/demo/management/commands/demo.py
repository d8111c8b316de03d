"""`ictmonitor demo`: a national demo dataset, loaded through the importers, a login per role.

    ictmonitor demo [--scale F] [--seed N] [--output DIR] [--no-serve] [--host H] [--port P]

Migrates the database, writes the dataset's files (contracts/schools.md, enrolments.md, and a
feed per provider in subscriptions.md), imports them as any user would, creates the demo users,
prints their logins and serves the site.
Running it again changes nothing: the same seed and scale give the same files.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from ictmonitor.assessment.importers import import_labels
from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.core.importcommand import Progress
from ictmonitor.core.problems import ImportRefused
from ictmonitor.demo.assessment import load_assessments, write_label_file
from ictmonitor.demo.connectivity import generate_feeds
from ictmonitor.demo.generator import DEFAULT_SEED, generate
from ictmonitor.demo.incidents import load_incidents
from ictmonitor.demo.measurements import load_measurements
from ictmonitor.demo.users import DemoLogin, create_demo_users
from ictmonitor.demo.vouchers import record_reasons, write_voucher_feeds
from ictmonitor.registry.importers import import_enrolments, import_school_list
from ictmonitor.reports.releases import last_releasable_day, publish_release
from ictmonitor.reports.selectors import release_dates
from ictmonitor.vouchers.importers import import_vouchers

ACTOR = "demo (ictmonitor demo)"
DEMO_RELEASES = [date(2020, 7, 1), date(2021, 1, 1)]  # after each 2020 voucher wave


class Command(BaseCommand):
    help = "Load the national demo dataset, create a login per role, and serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("--scale", type=float, default=1.0,
                            help="institutions relative to Flanders' ~4,100 (default 1)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help="the random seed; the same seed gives the same files")
        parser.add_argument("--output", type=Path, default=None,
                            help="folder for the generated files (default DATA_DIR/demo)")
        parser.add_argument("--no-serve", action="store_true",
                            help="load the data and stop; do not start the web server")
        parser.add_argument("--host", default="127.0.0.1", help="address to serve on")
        parser.add_argument("--port", type=int, default=8000, help="port to serve on")

    def handle(self, *args: Any, **options: Any) -> None:
        """Migrate, generate, import, create the users, print the logins, serve."""
        if options["scale"] <= 0:
            raise CommandError("--scale must be greater than 0")
        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        output = options["output"] or Path(settings.DATA_DIR) / "demo"
        files = generate(output, scale=options["scale"], seed=options["seed"],
                         progress=GenerationProgress(self.stderr._out))
        self.stdout.write(
            f"Generated {files.institutions:,} institutions, {files.locations:,} locations and "
            f"{files.enrolment_rows:,} pupil counts in {output}"
        )
        feeds = generate_feeds(output, files.schools, seed=options["seed"],
                               progress=GenerationProgress(self.stderr._out))
        self.stdout.write(f"Generated {sum(feeds.lines.values()):,} connectivity lines in "
                          f"{len(feeds.paths)} provider feeds in {output}")
        self.load(files.schools, import_school_list, "locations")
        self.load(files.enrolments, import_enrolments, "pupil counts")
        for provider, path in feeds.paths.items():
            if feeds.lines[provider]:
                self.load(path, import_subscriptions, "lines")
        vouchers = write_voucher_feeds(output, scale=options["scale"], seed=options["seed"])
        for path in vouchers.feeds:
            self.load(path, import_vouchers, "voucher codes")
        self.stdout.write(record_reasons(seed=options["seed"]))
        self.load(write_label_file(output, scale=options["scale"], seed=options["seed"]),
                  import_labels, "labels")
        self.stdout.write(load_assessments(
            seed=options["seed"], progress=GenerationProgress(self.stderr._out)).summary())
        self.stdout.write(load_incidents(seed=options["seed"]))
        self.stdout.write(load_measurements(seed=options["seed"]))
        logins = create_demo_users()
        self.release()
        self.stdout.write(f"Demo ready in {time.monotonic() - started:.0f} s.\n")
        self.print_logins(logins, options["host"], options["port"])
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"])

    def release(self) -> None:
        """Publish the demo's releases: the end of each 2020 wave and yesterday (the public
        pages serve releases only; today's figures are not final)."""
        for day in [*DEMO_RELEASES, last_releasable_day()]:
            latest = release_dates()[-1:]
            if day <= last_releasable_day() and (not latest or day > latest[0]):
                publish_release(day, by=ACTOR)
        shown = ", ".join(d.isoformat() for d in release_dates())
        self.stdout.write(f"Releases for the public pages: {shown}")

    def load(self, path: Path, importer: Any, what: str) -> None:
        """Import one file with progress on the terminal; stop with its problems if refused."""
        progress = Progress(path.name, self.stderr._out)
        try:
            run = importer(path, actor=ACTOR, progress=progress)
        except ImportRefused as refused:
            progress.done()
            for line in refused.problems.lines():
                self.stderr.write(line)
            raise CommandError(f"{path.name}: refused; the demo data could not be loaded") \
                from None
        progress.done()
        self.stdout.write(
            f"{path.name}: {run.rows:,} {what} read: {run.created:,} new, {run.updated:,} "
            f"changed, {run.unchanged:,} unchanged"
        )

    def print_logins(self, logins: list[DemoLogin], host: str, port: int) -> None:
        """The table of demo logins: URL, user name, password, role."""
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
        url = f"http://{shown_host}:{port}{reverse('accounts:login')}"
        rows = [("URL", "username", "password", "role", "sees")]
        rows += [(url, login.username, login.password, login.role, login.sees)
                 for login in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths,
                                                                          strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write("These passwords are for a demo only: never load the demo in production.")


class GenerationProgress:
    """How far the files are written: one updating line on a terminal, a few lines otherwise."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last = 0.0
        self.last_quarter = -1

    def __call__(self, done: int, total: int) -> None:
        """Show institutions written of all to write."""
        percent = int(100 * done / total) if total else 100
        text = f"generating: {percent:3d}%, {done:,} of {total:,} institutions"
        now = time.monotonic()
        if self.tty:
            if now - self.last >= 0.2 or done == total:
                self.stream.write(f"\r{text}" + ("\r\x1b[K" if done == total else ""))
                self.stream.flush()
                self.last = now
        elif percent // 25 > self.last_quarter and percent < 100:
            self.stream.write(text + "\n")
            self.last_quarter = percent // 25
