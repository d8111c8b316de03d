"""Killed for real: a worker (`ictmonitor worker`, django-tasks-db) killed with SIGKILL in the
middle of a job leaves a failed job, with the reason, that can be run again; nothing of the file
was imported. The processes share a database of their own (a file, or one on the test server)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core.test_unfinished_imports import ictmonitor, kill
from tests.core.test_unfinished_imports import own_database as own_database  # a fixture
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

ROWS = 60_000
STATE = ("from ictmonitor.jobs.models import Job; from ictmonitor.registry.models import "
         "Institution; import json; job = Job.objects.get(); print(json.dumps([job.state, "
         "job.rows_read, job.reason_text('en'), job.path, "
         "job.import_run.status if job.import_run else None, "
         "Institution.objects.count()]))")
AGAIN = ("from ictmonitor.jobs.abandoned import run_again; from ictmonitor.jobs.models import Job; "
         "print(run_again(Job.objects.get(), None))")  # as the operator at the command line


def job_state(env: dict[str, str]) -> list:
    """(state, rows read, reason, kept file, import status, institutions) in that database."""
    return json.loads(ictmonitor(env, "shell", "--no-imports", "-c", STATE))


def worker(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from ictmonitor.cli import main; main()",
                             "worker", "--no-startup-delay", "--no-reload", "--interval", "0.2",
                             *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_job_whose_worker_is_killed_fails_and_runs_again_with_nothing_half_imported(
        own_database, tmp_path):
    env = own_database
    schools = write(tmp_path / "schools.csv",
                    [row(schoolnummer=str(100_000 + n)) for n in range(ROWS)])
    english = {**env, "LC_ALL": "en_GB.UTF-8"}  # the command speaks its terminal's language
    assert "queued as job" in ictmonitor(english, "import", "schools", str(schools),
                                         "--background")
    running = worker(env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = job_state(env)
            if state[0] == "running" and state[1] > 0:
                break
            assert state[0] in {"queued", "running"}, state
        else:
            pytest.fail("the worker did not start the job")
        kill(running)
    finally:
        if running.poll() is None:
            running.kill()
            running.wait()
    state, rows, reason, kept, _run, institutions = job_state(env)
    # killed while it read or while it wrote (a loaded machine may read the whole file before
    # the test looks again): either way nothing of the file is in the tables
    assert (state, institutions) == ("running", 0) and 0 < rows <= ROWS

    closing = worker(env, "--batch")  # a worker starting closes the jobs of dead ones
    assert closing.wait(60) == 0, closing.stderr.read() if closing.stderr else ""
    state, _rows, reason, kept, run, institutions = job_state(env)
    assert (state, run, institutions) == ("failed", "failed", 0)
    assert f"the worker that ran it ({running.pid} on " in reason
    assert Path(kept).is_file()

    assert ictmonitor(env, "shell", "--no-imports", "-c", AGAIN).strip() == "True"
    again = worker(env, "--batch")
    assert again.wait(120) == 0, again.stderr.read() if again.stderr else ""
    state, rows, reason, kept, run, institutions = job_state(env)
    assert (state, rows, run, institutions, kept) == ("succeeded", ROWS, "succeeded", ROWS, "")
