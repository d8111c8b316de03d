"""`ictmonitor worker`: run background jobs (django-tasks-db's worker), after closing the jobs a
killed worker left running.

    ictmonitor worker [--interval 1] [--batch] [--max-tasks N]

`ictmonitor serve` starts one beside the web server; in production run as many as you like, each
as its own process (docs/operations.md). Beside the jobs, each worker runs the chores the apps
registered (core/chores.py: folding the measuring agents' posts) in a thread of its own, unless
`--batch`.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.db import DatabaseError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from ictmonitor.core.chores import start_chores
from ictmonitor.jobs.abandoned import close_abandoned_jobs


class Command(DatabaseWorker):
    help = "Run ictmonitor's background jobs (imports) as they are queued."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """django-tasks-db's options; --reload off unless asked for, even with DEBUG on (a
        reload stops the job the worker runs)."""
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        """Close the jobs of dead workers, start the chores (not for a --batch run, which ends
        when the queue is empty), then work until stopped (SIGTERM or Ctrl+C)."""
        try:
            closed = close_abandoned_jobs()
        except DatabaseError as error:
            self.stderr.write(f"Note: jobs left running were not checked ({error}).")
        else:
            if closed:
                self.stderr.write(f"Note: {closed} job(s) whose worker stopped marked failed.")
        if not options.get("batch"):
            start_chores()
        super().handle(*args, **options)
