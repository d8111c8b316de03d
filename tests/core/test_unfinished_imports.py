"""An import that did not end (its process killed, its server stopped) is marked failed with the
reason when the next import or the server starts, and the upload copy it left is removed."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ictmonitor.core.forms import saved_upload
from ictmonitor.core.models import ImportRun
from ictmonitor.core.problems import shown
from ictmonitor.core.processes import ProcessRef, host_name, start_mark, this_process
from ictmonitor.core.unfinished import (
    UNOWNED_UPLOAD_AGE,
    close_unfinished,
    upload_dir,
    upload_suffix,
)
from ictmonitor.registry.importers import import_school_list
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)"]
KILLED = ("killed.csv: the import did not end: its process ({pid} on {host}) stopped before it "
          "finished (killed, or its server stopped); nothing was imported")
MARKS_KNOWN = bool(this_process().mark)  # Linux: a pid used again is told apart


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen]:
    """Another process, as an import on the command line or a server would be."""
    child = subprocess.Popen(SLEEPER)
    yield child
    if child.poll() is None:
        child.kill()
        child.wait()


def kill(child: subprocess.Popen) -> None:
    """kill -9, as an operator or the out-of-memory killer does."""
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)


def process_of(child: subprocess.Popen) -> ProcessRef:
    return ProcessRef(host_name(), child.pid, start_mark(child.pid) or "")


def run_of(process: ProcessRef, name: str = "killed.csv") -> ImportRun:
    """A run as the pipeline starts it in that process."""
    return ImportRun.objects.create(kind="schools", file_name=name, sha256="0" * 64,
                                    actor="test", host=process.host, pid=process.pid,
                                    process_mark=process.mark)


@pytest.fixture
def upload_of() -> Iterator[Callable[[ProcessRef], Path]]:
    """A copy of an upload written by that process (saved_upload's name); removed afterwards."""
    made: list[Path] = []

    def make(process: ProcessRef, name: str = "tmpleft") -> Path:
        path = upload_dir() / f"{name}{upload_suffix(process)}"
        path.write_bytes(b"schoolnummer;naam\n" * 1000)
        made.append(path)
        return path

    yield make
    for path in made:
        path.unlink(missing_ok=True)


def next_import(tmp_path: Path) -> ImportRun:
    return import_school_list(write(tmp_path / "next.csv", [row()]), actor="test")


def test_an_import_records_the_process_that_runs_it(tmp_path):
    run = next_import(tmp_path)
    me = this_process()
    assert (run.host, run.pid, run.process_mark) == (host_name(), os.getpid(), me.mark)
    if Path("/proc/self/stat").is_file():
        assert me.mark


def test_the_next_import_marks_a_killed_import_failed_and_removes_its_upload(tmp_path, sleeper,
                                                                              upload_of):
    process = process_of(sleeper)
    left, upload = run_of(process), upload_of(process)

    next_import(tmp_path)  # its process still runs: an import of its own, not touched
    left.refresh_from_db()
    assert (left.status, left.finished_at, upload.exists()) == ("running", None, True)

    kill(sleeper)
    run = next_import(tmp_path)
    left.refresh_from_db()
    assert left.status == ImportRun.Status.FAILED
    assert shown(left.problems, "en") == [KILLED.format(pid=sleeper.pid, host=host_name())]
    assert left.finished_at is not None
    assert not upload.exists()
    assert run.status == ImportRun.Status.SUCCEEDED


@pytest.mark.skipif(not MARKS_KNOWN, reason="the system does not tell when a process started")
def test_a_pid_used_again_by_another_process_is_not_taken_for_the_import(upload_of):
    me = this_process()
    before_a_restart = ProcessRef(me.host, me.pid, "another-boot/123")  # this pid, another process
    left, upload = run_of(before_a_restart), upload_of(before_a_restart)
    mine = upload_of(me, "tmpmine")
    assert close_unfinished() == (1, 1)
    left.refresh_from_db()
    assert left.status == ImportRun.Status.FAILED
    assert (upload.exists(), mine.exists()) == (False, True)


def test_what_another_host_runs_is_left_alone_and_runs_of_an_earlier_version_are_closed(
        upload_of):
    elsewhere = ProcessRef("another-host.example", 1, "x/1")
    left, upload = run_of(elsewhere), upload_of(elsewhere)
    unrecorded = ImportRun.objects.create(kind="schools", file_name="old.csv", sha256="0" * 64,
                                          actor="test")
    assert close_unfinished() == (1, 0)
    left.refresh_from_db()
    unrecorded.refresh_from_db()
    assert (left.status, upload.exists()) == ("running", True)
    assert unrecorded.status == ImportRun.Status.FAILED
    assert shown(unrecorded.problems, "en") == [
        "old.csv: the import did not end, and the version of ictmonitor that started it did not "
        "record its process; nothing was imported"]


def test_an_upload_copy_that_names_no_process_is_removed_once_an_hour_old():
    fresh, stale = upload_dir() / "tmpfresh.csv", upload_dir() / "tmpstale.csv"
    try:
        for path in (fresh, stale):
            path.write_bytes(b"x")
        old = time.time() - UNOWNED_UPLOAD_AGE - 60
        os.utime(stale, (old, old))
        assert close_unfinished() == (0, 1)
        assert (fresh.exists(), stale.exists()) == (True, False)
    finally:
        fresh.unlink(missing_ok=True)


def test_an_upload_being_imported_keeps_its_copy(tmp_path):
    data = write(tmp_path / "schools.csv", [row()]).read_bytes()
    with saved_upload(SimpleUploadedFile("schools.csv", data)) as path:
        assert path.name.endswith(upload_suffix())
        close_unfinished()
        assert path.read_bytes() == data
        import_school_list(path, actor="test")  # which also closes what did not end
        assert path.exists()
    assert not path.exists()


class StoppedServer:
    """A waitress server that stops at once."""

    effective_port = 8123

    def run(self) -> None:
        """Served nothing."""

    def close(self) -> None:
        """Nothing to close."""


def test_serve_marks_what_a_killed_server_left_failed_before_it_serves(sleeper, upload_of,
                                                                        monkeypatch):
    monkeypatch.setattr("waitress.server.create_server", lambda *args, **kwargs: StoppedServer())
    process = process_of(sleeper)
    left, upload = run_of(process), upload_of(process)
    kill(sleeper)
    out, err = io.StringIO(), io.StringIO()
    call_command("serve", port=0, stdout=out, stderr=err)
    left.refresh_from_db()
    assert left.status == ImportRun.Status.FAILED
    assert shown(left.problems, "en") == [KILLED.format(pid=sleeper.pid, host=host_name())]
    assert not upload.exists()
    assert "1 import(s) that did not end marked failed; 1 upload(s) they left removed" in \
        err.getvalue()


# Killed for real: an upload imported by another process, killed with SIGKILL while it imports.
# The processes share a database of their own (a file, or a database on the test server).
CHILD = """
import sys, time
from pathlib import Path

import django

django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from ictmonitor.core.forms import saved_upload
from ictmonitor.registry.importers import import_school_list


def wait(*progress, **phase):
    print("importing", flush=True)
    time.sleep(300)


data = Path(sys.argv[1]).read_bytes()
with saved_upload(SimpleUploadedFile("killed.csv", data)) as path:
    import_school_list(path, actor="child", display_name="killed.csv", progress=wait)
"""
RUNS = ("from ictmonitor.core.models import ImportRun; import json; print(json.dumps(list("
        "ImportRun.objects.order_by('pk').values_list('file_name', 'status', 'problems', "
        "'pid'))))")


@pytest.fixture
def own_database(tmp_path) -> Iterator[dict[str, str]]:
    """The environment of processes sharing a database of their own, migrated."""
    from django.db import connection

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ictmonitor.settings",
           "ICTMONITOR_DATA_DIR": str(tmp_path / "data")}
    dropped: Callable[[], None] = lambda: None  # noqa: E731
    if connection.vendor == "postgresql":
        import psycopg

        from tests import conftest

        name = f"unfinished_{os.getpid()}"
        admin = psycopg.connect(conftest._cluster.url, autocommit=True)
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
        env["ICTMONITOR_DATABASE_URL"] = conftest._cluster.url.rsplit("/", 1)[0] + f"/{name}"

        def dropped() -> None:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.close()
    else:
        env["ICTMONITOR_DATABASE_URL"] = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    try:
        ictmonitor(env, "migrate", "--verbosity", "0")
        yield env
    finally:
        dropped()


def ictmonitor(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", "from ictmonitor.cli import main; main()",
                           *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def runs(env: dict[str, str]) -> list[list]:
    """(file, status, problems, pid) of every run in that database."""
    return json.loads(ictmonitor(env, "shell", "--no-imports", "-c", RUNS))


def test_an_upload_killed_while_it_imports_is_failed_by_the_next_import(own_database, tmp_path):
    schools = write(tmp_path / "schools.csv", [row(), row(schoolnummer="1002")])
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(schools)], env=own_database,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "importing\n", child.stderr.read() if child.stderr \
            else ""
        uploads = Path(own_database["ICTMONITOR_DATA_DIR"]) / "uploads"
        assert len(list(uploads.iterdir())) == 1
        kill(child)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert runs(own_database) == [["killed.csv", "running", [], child.pid]]

    ictmonitor(own_database, "import", "schools", str(schools), "--quiet")

    killed, following = runs(own_database)
    killed[2] = shown(killed[2], "en")
    assert killed == ["killed.csv", "failed", [KILLED.format(pid=child.pid, host=host_name())],
                      child.pid]
    assert following[:3] == ["schools.csv", "succeeded", []]
    assert list(uploads.iterdir()) == []


KILLED_NL = ("killed.csv: het inlezen eindigde niet: zijn proces ({pid} op {host}) stopte voor "
             "het klaar was (afgebroken, of zijn server stopte); er werd niets ingelezen")


@pytest.mark.parametrize(("language", "status", "explained", "why"), [
    ("en", "failed", "The import stopped before it ended, for this reason; nothing was imported.",
     KILLED),
    ("nl", "mislukt", "Het inlezen stopte voor het klaar was, om deze reden; er werd niets "
                      "ingelezen.", KILLED_NL),
])
def test_the_import_pages_show_a_failed_run_and_why(client_for, sleeper, language, status,
                                                    explained, why):
    from django.conf import settings
    from django.urls import reverse

    left = run_of(process_of(sleeper))
    kill(sleeper)
    close_unfinished()
    client = client_for("analyst")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = " ".join(client.get(f"{reverse('core:run')}?id={left.pk}").content.decode().split())
    assert f"<dd>{status}</dd>" in page
    assert explained in page
    assert why.format(pid=sleeper.pid, host=host_name()) in page  # in the reader's language
    assert status in client.get(reverse("core:runs")).content.decode()


def test_a_process_that_proc_hides_still_counts_as_running(sleeper, monkeypatch, tmp_path):
    """With /proc mounted hidepid=2, another user's import is not listed there: it runs."""
    from ictmonitor.core import processes

    process = process_of(sleeper)
    hidden = tmp_path / "proc"
    (hidden / "self").mkdir(parents=True)
    (hidden / "self" / "stat").write_text("1 (python) R")
    monkeypatch.setattr(processes, "PROC", hidden)
    assert processes.is_running(process) is True
    kill(sleeper)
    assert processes.is_running(process) is False
