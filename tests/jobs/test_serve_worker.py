"""`ictmonitor serve` starts a worker beside the web server, as a child process stopped with it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core.test_unfinished_imports import own_database as own_database  # a fixture

pytestmark = pytest.mark.django_db


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_serve_starts_a_worker_and_stops_it_with_itself(own_database):
    server = subprocess.Popen(
        [sys.executable, "-c", "from ictmonitor.cli import main; main()", "serve", "--port", "0"],
        env=own_database, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        assert "ictmonitor is served at" in server.stdout.readline()
        workers = [p for p in children(server.pid) if " worker " in command_line(p)]
        assert len(workers) == 1, [command_line(p) for p in children(server.pid)]
        server.terminate()  # SIGTERM, as a service manager stops it
        assert server.wait(30) == 0
        deadline = time.monotonic() + 15
        while Path(f"/proc/{workers[0]}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{workers[0]}").exists(), "the worker outlived the server"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_the_worker_reloads_only_when_asked_even_with_debug_on(settings):
    from ictmonitor.jobs.management.commands.worker import Command

    settings.DEBUG = True  # django-tasks-db's own default for --reload
    parser = Command().create_parser("ictmonitor", "worker")
    backend = ["--backend", "database"]  # the tests' django-tasks-db backend
    assert parser.parse_args(backend).reload is False
    assert parser.parse_args([*backend, "--reload"]).reload is True
