"""`ictmonitor serve`: serve the site with waitress; whitenoise serves the static files; a
background worker (`ictmonitor worker`, a child process) runs the jobs beside it and stops with it.

    ictmonitor serve [--host 127.0.0.1] [--port 8000] [--threads 8] [--no-worker]
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.core.wsgi import get_wsgi_application
from django.db import DatabaseError

from ictmonitor.core import collected
from ictmonitor.core.unfinished import close_unfinished
from ictmonitor.core.warm import load_every_page

ANY_ADDRESS = ("0.0.0.0", "::", "")  # noqa: S104


class Command(BaseCommand):
    help = "Serve ictmonitor over HTTP with waitress (a production-grade WSGI server)."

    server: Any = None

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("--host", default="127.0.0.1",
                            help="address to listen on (0.0.0.0 for every interface)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on; 0 = any")
        parser.add_argument("--threads", type=int, default=8, help="worker threads")
        parser.add_argument("--no-worker", action="store_true",
                            help="start no background worker (run `ictmonitor worker` yourself)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Close the imports a killed server left running, start the server, run until
        interrupted."""
        from waitress.server import create_server

        self._close_unfinished()
        self._collect_static()  # before the application's WhiteNoise lists what is there
        application = get_wsgi_application()
        load_every_page()  # now, not in the first request (an upload waited seconds for it)
        signal.signal(signal.SIGTERM, _interrupt)  # stopped by a service manager: as Ctrl+C
        worker = None if options["no_worker"] else start_worker()
        self.server = create_server(application, host=options["host"], port=options["port"],
                                    threads=options["threads"], ident="ictmonitor")
        port = self.server.effective_port
        shown = "127.0.0.1" if options["host"] in ANY_ADDRESS else options["host"]
        if ":" in shown:
            shown = f"[{shown}]"
        self.stdout.write(f"ictmonitor is served at http://{shown}:{port}/ (Ctrl+C stops it)")
        if "*" not in settings.ALLOWED_HOSTS and shown.strip("[]") not in settings.ALLOWED_HOSTS:
            self.stderr.write(f"Note: {shown} is not in ICTMONITOR_ALLOWED_HOSTS; requests by "
                              "that name will be refused.")
        self.stdout.flush()
        try:
            self.server.run()
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
        finally:
            self.server.close()
            if worker is not None:
                stop_worker(worker)

    def _collect_static(self) -> None:
        """The static files, hashed and compressed, collected when missing or older than the
        apps' own (a new data folder, an upgrade), before WhiteNoise looks for them. One
        process at a time: several `serve` started together (one per CPU) would otherwise
        collect into the same folder at once, and one fail on a file another replaced."""
        with one_at_a_time(Path(settings.STATIC_ROOT).parent / ".collectstatic.lock"):
            if collected.collect_if_needed():
                self.stderr.write(f"Note: static files collected into {settings.STATIC_ROOT}.")

    def _close_unfinished(self) -> None:
        """Imports the last server (or a killed command) left running: marked failed, their
        uploads removed. A database not set up yet is said later, by the pages."""
        try:
            runs, uploads = close_unfinished()
        except DatabaseError as error:
            self.stderr.write(f"Note: unfinished imports were not checked ({error}).")
            return
        if runs or uploads:
            self.stderr.write(f"Note: {runs} import(s) that did not end marked failed; "
                              f"{uploads} upload(s) they left removed.")


@contextlib.contextmanager
def one_at_a_time(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on a file (flock: released when the holder ends, even killed)."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


def start_worker() -> subprocess.Popen[bytes]:
    """`ictmonitor worker` as a child process, with this process's settings; on Linux it is
    told to stop (SIGTERM) when this process ends, even by kill -9."""
    return subprocess.Popen(  # noqa: S603 (our own interpreter and command)
        [sys.executable, "-m", "django", "worker", "--no-startup-delay", "--no-reload",
         "--verbosity", "0"],
        preexec_fn=_stop_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
    )


def stop_worker(worker: subprocess.Popen[bytes], wait: float = 10.0) -> None:
    """Ask the worker to stop; a job it runs then ends failed (it can be run again)."""
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(wait)
    except subprocess.TimeoutExpired:
        worker.send_signal(signal.SIGTERM)  # the second one stops the job it runs
        try:
            worker.wait(wait)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the server as Ctrl+C does, so its worker is stopped with it."""
    raise KeyboardInterrupt


def _stop_with_parent() -> None:
    """In the child, before it runs: SIGTERM when the parent dies (Linux prctl)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
