"""ictmonitor publish [--at YYYY-MM-DD] [--output DIR]: publish a release (the reference date the
public pages and downloads serve) and, with --output, write every public report of that date as
CSV plus datapackage.json."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ictmonitor.core.recording import WriteRefused
from ictmonitor.reports.management.commands._options import parameters_from
from ictmonitor.reports.publishing import publish
from ictmonitor.reports.releases import last_releasable_day, publish_release
from ictmonitor.reports.selectors import release_dates


class Command(BaseCommand):
    help = ("Publish a release (a reference date the public pages serve) and, with --output, "
            "write every public report of that date (under disclosure control) as open data.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, metavar="DIR",
                            help="also write every public report of the release here as CSV")
        parser.add_argument("--at", metavar="YYYY-MM-DD",
                            help="the reference date to publish (default: yesterday; today's "
                                 "figures are not final)")
        parser.add_argument("--language", choices=["nl", "en"], default="nl")
        parser.add_argument("--as", dest="username", metavar="USERNAME",
                            help="record the release in the name of this account "
                                 "(default: the system user)")

    def handle(self, *args: Any, **options: Any) -> None:
        parameters = parameters_from(
            {**options, "public": True,
             "at": options.get("at") or last_releasable_day().isoformat()})
        if parameters.at not in release_dates():
            try:
                publish_release(parameters.at, by=_actor(options["username"]))
            except WriteRefused as refused:
                raise CommandError(f"--at {parameters.at.isoformat()}: {refused}") from None
            self.stderr.write(f"Released {parameters.at.isoformat()}: the public pages serve it.")
        if options["output"] is None:
            return
        written = publish(
            options["output"], parameters.at, options["language"],
            progress=lambda n, total, name: self.stderr.write(f"[{n}/{total}] {name}"),
        )
        for path in written:
            self.stdout.write(str(path))


def _actor(username: str | None) -> Any:
    """The account named, or the system user's name, as the release's author."""
    if not username:
        return f"{getpass.getuser()} (command line)"
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--as {username}: no such account")
    return user
