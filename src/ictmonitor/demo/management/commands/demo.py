"""`ictmonitor demo`: a national demo dataset, loaded through the importers, a login per role.

    ictmonitor demo [--scale F] [--seed N] [--output DIR] [--background] [--no-serve]
                    [--host H] [--port P]

Migrates the database, writes the dataset's files (contracts/schools.md, enrolments.md, and a
feed per provider in subscriptions.md), imports them as any user would, creates the demo users,
prints their logins and serves the site. With --background (for large scales) the users are
created first and the load runs as a background job while the site already serves.
Running it again changes nothing: the same seed and scale give the same files.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from ictmonitor.core.importcommand import Progress
from ictmonitor.core.workkinds import queue_work
from ictmonitor.demo.generator import DEFAULT_SEED
from ictmonitor.demo.loading import DemoRefused, Reporting, load_demo
from ictmonitor.demo.users import DemoLogin, create_demo_users


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
        parser.add_argument("--background", action="store_true",
                            help="load the data as a background job (large scales): the site "
                                 "serves at once, the job's page shows the load's progress")
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
        if options["background"]:
            logins = create_demo_users()
            self.queue(logins, options, output)
        else:
            self.load(options, output)
            logins = create_demo_users()
            self.stdout.write(f"Demo ready in {time.monotonic() - started:.0f} s.\n")
        self.print_logins(logins, options["host"], options["port"])
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"])

    def load(self, options: dict[str, Any], output: Path) -> None:
        """Load the demo in the foreground, its progress on the terminal."""
        err = self.stderr._out
        try:
            load_demo(scale=options["scale"], seed=options["seed"], output=output,
                      report=Reporting(say=self.stdout.write,
                                       generating=lambda: GenerationProgress(err),
                                       reading=lambda name: Progress(name, err)))
        except DemoRefused as refused:
            for line in refused.lines:
                self.stderr.write(line)
            raise CommandError(str(refused)) from None

    def queue(self, logins: list[DemoLogin], options: dict[str, Any], output: Path) -> None:
        """Queue the load as a background job in the analyst's name: the site serves at once
        and the job's page shows how far the load is."""
        owner = get_user_model().objects.get(username="analyst")
        job = queue_work("demo", {"scale": options["scale"], "seed": options["seed"],
                                  "output": str(output), "language": "en"}, owner,
                         f"Demo at scale {options['scale']:g}")
        page = f"{reverse('jobs:job')}?id={job.pk}"
        self.stdout.write(f"The demo is loading as background job {job.pk}: sign in as "
                          f"analyst and follow it at {page}"
                          + (" (start a worker: ictmonitor worker)." if options["no_serve"]
                             else "."))

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
