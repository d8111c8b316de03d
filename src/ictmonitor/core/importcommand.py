"""The shape every `ictmonitor import KIND FILE` command shares: progress, summary, refusal."""

from __future__ import annotations

import getpass
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ictmonitor.core.importkinds import queue_in_background
from ictmonitor.core.models import ImportRun
from ictmonitor.core.problems import ImportRefused, shown
from ictmonitor.core.translation import grouped, terminal_language

Importer = Callable[..., ImportRun]


class ImportCommand(BaseCommand):
    """Import one file through the shared pipeline; subclasses name the importer."""

    importer: Importer
    what = gettext_noop("rows")  # what a row of the file is, in the summary's words

    @property
    def kind(self) -> str:
        """The job kind of this command's files: `import_schools` imports `schools`."""
        return type(self).__module__.rsplit(".", 1)[-1].removeprefix("import_")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV file, as its sender made it")
        parser.add_argument(
            "--as", dest="username", metavar="USERNAME",
            help="record the change in the name of this account (default: the system user)",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress, only problems")
        parser.add_argument(
            "--background", action="store_true",
            help="queue the file as a background job (a copy is kept) and return at once; "
                 "`ictmonitor worker` (or `serve`) runs it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Import the file (or queue it), saying everything in the terminal's language."""
        language = terminal_language()
        with translation.override(language):
            self._import(language, options)

    def _import(self, language: str, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file") % {"file": path})
        user, actor = self._actor(options["username"])
        if options["background"]:
            job = queue_in_background(path, self.kind, user=user, actor=actor,
                                      provider=getattr(self, "provider", None))  # its --provider
            self.stdout.write(_("%(file)s: queued as job %(job)s; follow it at %(page)s or GET "
                                "%(api)s") % {"file": path.name, "job": job.pk,
                                              "page": f"/jobs/job/?id={job.pk}",
                                              "api": f"/api/v1/jobs/{job.pk}"})
            return
        progress = None if options["quiet"] else Progress(path.name, self.stderr._out)
        try:
            run = self.importer(path, actor=actor, user=user, progress=progress)
        except ImportRefused as refused:
            if progress:
                progress.done()
            for line in refused.problems.lines(language):
                self.stderr.write(line)
            total = refused.problems.total
            self.stderr.write(translation.ngettext(
                "%(file)s: refused; nothing was imported (%(count)s problem)",
                "%(file)s: refused; nothing was imported (%(count)s problems)", total) % {
                "file": path.name, "count": total})
            sys.exit(1)
        if progress:
            progress.done()
        for warning in shown(run.warnings, language):
            self.stderr.write(_("warning: %(warning)s") % {"warning": warning})
        self.stdout.write(
            _("%(file)s: %(rows)s %(what)s read: %(created)s new, %(updated)s changed, "
              "%(unchanged)s unchanged (import #%(run)s)") % {
                "file": path.name, "rows": grouped(run.rows), "what": _(self.what),
                "created": grouped(run.created), "updated": grouped(run.updated),
                "unchanged": grouped(run.unchanged), "run": run.pk}
        )

    def _actor(self, username: str | None) -> tuple[Any, str]:
        if not username:
            return None, f"{getpass.getuser()} (command line)"
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("--as %(user)s: no such account") % {"user": username})
        return user, user.get_username()


class Progress:
    """One line on a terminal that says how far an import has read; plain lines otherwise."""

    def __init__(self, name: str, stream: Any) -> None:
        self.name = name
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last = 0.0
        self.last_percent = -1

    def __call__(self, rows: int, done: int, total: int, problems: int = 0,
                 phase: str = "reading", written: int = 0, checked: int = 0) -> None:
        now = time.monotonic()
        if phase == "writing" and written:  # a large file merged in slices (SQLite)
            if self.tty and now - self.last >= 0.2:
                self.stream.write("\r" + _("%(file)s: writing, %(written)s of %(rows)s rows in")
                                  % {"file": self.name, "written": grouped(written),
                                     "rows": grouped(rows)})
                self.stream.flush()
                self.last = now
            return
        percent = int(100 * done / total) if total else 100
        if self.tty and now - self.last >= 0.2:
            self.stream.write("\r" + self._read(percent, rows))
            self.stream.flush()
            self.last = now
        elif not self.tty and percent // 25 > self.last_percent // 25 and percent < 100:
            self.stream.write(self._read(percent, rows) + "\n")
            self.last_percent = percent

    def _read(self, percent: int, rows: int) -> str:
        return _("%(file)s: %(percent)s%% read, %(rows)s rows checked") % {
            "file": self.name, "percent": f"{percent:3d}", "rows": grouped(rows)}

    def done(self) -> None:
        """End the progress line."""
        if self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
