"""A throwaway PostgreSQL server for the test suite and the benchmarks.

    with pgcluster.start() as pg:
        print(pg.url)   # postgresql://app@127.0.0.1:PORT/ictmonitor

`python -m tests.pgcluster` starts one, prints its URL and keeps it until Enter or Ctrl+C.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")
USER = "app"


class PostgresMissing(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def bin_dir() -> Path:
    """The bin folder of the highest installed PostgreSQL version."""
    found = [p.parent for p in PG_ROOT.glob("*/bin/initdb") if (p.parent / "pg_ctl").exists()]
    if not found:
        raise PostgresMissing(
            f"No PostgreSQL server binaries (initdb, pg_ctl) under {PG_ROOT}/*/bin: "
            "run `make system-deps`."
        )
    return max(found, key=lambda p: tuple(int(n) for n in p.parent.name.split(".") if n.isdigit()))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One running server in a temporary folder; stop() removes every trace of it."""

    def __init__(self, database: str = "ictmonitor") -> None:
        self.bin = bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="ictmonitor-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.database = database
        self.url = f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"
        self._as_owner: list[str] = []
        self._running = False
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.root, "postgres", "postgres")
            self._as_owner = ["runuser", "-u", "postgres", "--"]

    def _run(self, program: str, *args: str, owner: bool = True, check: bool = True) -> None:
        """Run a PostgreSQL program (as the postgres user if owner); raise with its output."""
        command = [*(self._as_owner if owner else []), str(self.bin / program), *args]
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        done = subprocess.run(command, cwd=self.root, env=env, capture_output=True, text=True)
        if check and done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}{tail}")

    def start(self) -> Cluster:
        """Create the cluster, start the server and create the database."""
        data, log = str(self.data), str(self.root / "server.log")
        options = (
            f"-p {self.port} -k {self.root} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c listen_addresses=127.0.0.1"
        )
        try:
            self._run("initdb", "-U", USER, "--auth=trust", "--no-sync", "-E", "UTF8", "-D", data)
            self._run("pg_ctl", "-D", data, "-w", "-t", "60", "-l", log, "-o", options, "start")
            self._running = True
            atexit.register(self.stop)
            host = ["-h", "127.0.0.1", "-p", str(self.port), "-U", USER]
            self._run("createdb", *host, self.database, owner=False)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server at once and delete its folder; safe to call twice."""
        if self._running:
            self._running = False
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(database: str = "ictmonitor") -> Cluster:
    """Start a throwaway server with one empty database; use as a context manager or stop()."""
    return Cluster(database).start()


if __name__ == "__main__":
    with start() as cluster:
        print(cluster.url, flush=True)
        with contextlib.suppress(EOFError, KeyboardInterrupt):
            input("Enter stops the server. ")
