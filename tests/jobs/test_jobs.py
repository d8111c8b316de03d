"""Background jobs: the one upload path queues a job; a worker (django-tasks-db) runs it,
writing its progress and result; the page and the API show it to its owner only."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from ictmonitor.accounts.models import ApiToken
from ictmonitor.connectivity.models import Provider, Subscription
from ictmonitor.core.models import ImportRun
from ictmonitor.jobs import kinds, tasks
from ictmonitor.jobs.abandoned import close_abandoned_jobs, run_again
from ictmonitor.jobs.models import Job
from ictmonitor.jobs.uploads import UploadRefused, queue_upload
from ictmonitor.registry.models import Institution
from tests.connectivity.test_pages import feed_bytes, feed_file
from tests.connectivity.test_pages import schools as schools  # a fixture
from tests.core.test_unfinished_imports import kill, process_of, sleeper  # noqa: F401
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

TELENET_LINE = "telenet;T-{n};1001;1;managed;300;30;firewall;2025-01-10;2025-02-01;"


def school_upload(tmp_path: Path, count: int = 3, **cells: str) -> SimpleUploadedFile:
    path = write(tmp_path / "schools.csv",
                 [row(schoolnummer=str(5000 + n), **cells) for n in range(count)])
    return SimpleUploadedFile("schools.csv", path.read_bytes(), content_type="text/csv")


@pytest.fixture
def database_queue(settings, monkeypatch):
    """Jobs go to django-tasks-db's queue (as in production) instead of running at once. The
    worker runs in the test's transaction: it must not close the connection between jobs."""
    settings.JOBS_TASK_BACKEND = "database"
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections",
                        lambda: None)


def work() -> None:
    """A worker takes every queued job, then stops (`ictmonitor worker --batch`)."""
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="database",
           startup_delay=False, max_tasks=None, worker_id="test-worker",
           excluded_queue_names=[]).run()


def test_a_queued_job_waits_for_a_worker_which_imports_it_recording_progress_and_result(
        database_queue, user_factory, tmp_path, monkeypatch):
    analyst = user_factory("analyst")
    seen: list[tuple[str, int, int]] = []
    original = tasks.JobProgress.__call__

    def watched(self, *args, **kwargs):
        original(self, *args, **kwargs)
        job = Job.objects.get(pk=self.job.pk)
        seen.append((job.phase, job.rows_read, job.percent))

    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 0)
    monkeypatch.setattr(tasks.JobProgress, "__call__", watched)

    job = queue_upload(school_upload(tmp_path, 3), "schools", analyst)
    job.refresh_from_db()
    assert (job.state, job.user, job.provider, job.size) == ("queued", analyst, "", job.size)
    assert Path(job.path).is_file() and job.task_id
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    assert not Institution.objects.exists()

    work()

    job.refresh_from_db()
    assert (job.state, job.rows_read, job.percent, job.problems_found) == ("succeeded", 3, 100, 0)
    assert (job.import_run.status, job.import_run.created) == ("succeeded", 3)
    assert job.started_at and job.finished_at and job.attempts == 1
    assert not Path(job.path or "/nonexistent").exists() and job.path == ""
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    assert Institution.objects.count() == 3
    assert [phase for phase, _rows, _percent in seen][-3:] == ["reading", "checking", "writing"]
    assert seen[-1][1] == 3


def test_a_refused_file_ends_the_job_refused_listing_its_problems(user_factory, tmp_path):
    job = queue_upload(school_upload(tmp_path, 2, onderwijsniveau="XYZ"), "schools",
                       user_factory("admin"))
    job.refresh_from_db()
    assert (job.state, job.problems_found, job.import_run.status) == ("refused", 2, "refused")
    assert job.path == "" and not job.may_run_again
    assert not Institution.objects.exists()


def test_a_failed_job_keeps_its_file_and_runs_again(user_factory, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    real = kinds.KINDS["schools"]
    monkeypatch.setitem(kinds.KINDS, "schools", kinds.ImportKind("schools", real.label, broken))
    job = queue_upload(school_upload(tmp_path, 2), "schools", user_factory("analyst"))
    job.refresh_from_db()
    assert (job.state, job.reason_text("en")) == ("failed", "OSError, details in the server's log")
    assert job.reason_text("nl") == "OSError, details in het logboek van de server"
    assert job.may_run_again and Path(job.path).is_file()

    monkeypatch.setitem(kinds.KINDS, "schools", real)
    assert run_again(job, job.user)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.rows_read) == ("succeeded", 2, 2)
    assert Institution.objects.count() == 2
    assert not run_again(job, job.user)  # only a failed job runs again


def test_a_running_job_whose_worker_is_gone_is_failed_never_running_for_ever(
        user_factory, tmp_path, sleeper, client_for):  # noqa: F811
    owner = client_for("analyst")
    job = queue_upload(school_upload(tmp_path), "schools", owner.user)
    worker = process_of(sleeper)
    Job.objects.filter(pk=job.pk).update(state="running", host=worker.host, pid=worker.pid,
                                         process_mark=worker.mark, path=job.path or "kept")
    assert close_abandoned_jobs() == 0  # its worker still runs
    kill(sleeper)
    page = owner.get(reverse("jobs:job"), {"id": job.pk})  # whoever looks closes it
    job.refresh_from_db()
    assert job.state == "failed"
    english, dutch = job.reason_text("en"), job.reason_text("nl")
    assert f"the worker that ran it ({worker.pid} on {worker.host}) stopped" in english
    assert f"de verwerker die de taak uitvoerde ({worker.pid} op {worker.host})" in dutch
    assert "er werd niets ingelezen" in page.content.decode()  # the page's language: Dutch


def test_only_a_provider_linked_to_its_account_sends_its_own_feeds(user_factory, tmp_path):
    telenet = user_factory("provider", provider=Provider.objects.get(code="telenet"))
    feed = feed_file(TELENET_LINE.format(n=1))
    assert queue_upload(feed, "subscriptions", telenet).provider == "telenet"
    unlinked = user_factory("provider")
    unlinked.provider = None
    unlinked.save()
    for user, kind in [(telenet, "schools"), (unlinked, "subscriptions"),
                       (user_factory("coordinator"), "vouchers"), (telenet, "no-such-kind")]:
        with pytest.raises(UploadRefused) as refused:
            queue_upload(feed_file(TELENET_LINE.format(n=2)), kind, user)
        assert refused.value.reason == "forbidden"


def test_the_api_answers_202_with_the_jobs_address_at_once(schools, user_factory,
                                                           database_queue):
    telenet = user_factory("provider", provider=Provider.objects.get(code="telenet"))
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(telenet, 't')[1]}"})
    lines = [TELENET_LINE.format(n=n) for n in range(2000)]
    started = time.monotonic()
    answer = client.post("/api/v1/connectivity/feeds", {"file": feed_file(*lines)})
    assert time.monotonic() - started < 2
    assert answer.status_code == 202, answer.content
    body = answer.json()
    assert answer["Location"] == body["url"] == f"/api/v1/jobs/{body['id']}"
    assert body["page"] == f"/jobs/job/?id={body['id']}"
    assert (body["state"], body["kind"], body["result"]) == ("queued", "subscriptions", None)
    assert not Subscription.objects.exists()

    work()
    job = client.get(body["url"]).json()
    assert (job["state"], job["percent"], job["rows_read"]) == ("succeeded", 100, 2000)
    assert (job["result"]["created"], job["result"]["total"]) == (2000, 0)
    assert client.get("/api/v1/jobs").json()[0]["id"] == body["id"]

    other = user_factory("provider", provider=Provider.objects.get(code="proximus"))
    stranger = Client(headers={"Authorization": f"Bearer {ApiToken.issue(other, 't')[1]}"})
    assert stranger.get(body["url"]).status_code == 404
    assert stranger.get("/api/v1/jobs").json() == []
    analyst = user_factory("analyst")
    department = Client(headers={"Authorization": f"Bearer {ApiToken.issue(analyst, 't')[1]}"})
    assert department.get(body["url"]).json()["state"] == "succeeded"


def test_the_owner_is_told_a_job_ended_until_it_looks(client_for, tmp_path):
    owner = client_for("analyst")
    owner.post(reverse("jobs:upload"), {"kind": "schools", "file": school_upload(tmp_path)})
    job = Job.objects.get()
    home = owner.get("/").content.decode()
    assert re.search(r"Mijn taken <span class=\"badge\">1 klaar</span>", home), home[:3000]
    owner.get(reverse("jobs:job"), {"id": job.pk})
    assert "badge" not in owner.get("/").content.decode()
    listing = owner.get(reverse("jobs:jobs")).content.decode()
    assert f'?id={job.pk}"' in listing and "schools.csv" in listing


def test_the_job_page_polls_until_the_job_ends(client_for, tmp_path, database_queue):
    owner = client_for("analyst")
    owner.post(reverse("jobs:upload"), {"kind": "schools", "file": school_upload(tmp_path)})
    job = Job.objects.get()
    fragment = owner.get(reverse("jobs:progress"), {"id": job.pk}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="0"' in fragment
    work()
    fragment = owner.get(reverse("jobs:progress"), {"id": job.pk}).content.decode()
    assert "hx-trigger" not in fragment and 'value="100"' in fragment
    assert client_for("analyst").get(reverse("jobs:progress"), {"id": job.pk}).status_code == 200
    assert client_for("provider").get(reverse("jobs:job"), {"id": job.pk}).status_code == 404


def test_the_command_line_queues_a_job_in_the_background(tmp_path, capsys, user_factory,
                                                         monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # the command speaks its terminal's language
    path = write(tmp_path / "schools.csv", [row(), row(schoolnummer="1002")])
    call_command("import_schools", str(path), "--background")
    job = Job.objects.get()
    assert f"queued as job {job.pk}" in capsys.readouterr().out
    assert (job.state, job.rows_read, job.actor.endswith("(command line)")) == (
        "succeeded", 2, True)  # the tests run jobs at once
    assert ImportRun.objects.get().status == "succeeded"
    assert path.exists()  # the job read its own copy


def test_a_feed_queued_on_the_command_line_keeps_its_provider(schools, tmp_path, capsys):
    """`--provider proximus --background` confines the job as the foreground import is: a
    line of telenet's is refused, not imported."""
    path = tmp_path / "feed.csv"
    path.write_bytes(feed_bytes(TELENET_LINE.format(n=1)))
    call_command("import_subscriptions", str(path), "--provider", "proximus", "--background")
    job = Job.objects.get()
    assert (job.provider, job.state) == ("proximus", "refused")  # the tests run jobs at once
    assert not Subscription.objects.exists()


def test_a_large_upload_spooled_to_disk_is_moved_not_copied(user_factory, tmp_path):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    data = write(tmp_path / "schools.csv", [row(schoolnummer=str(7000 + n)) for n in range(3)])
    upload = TemporaryUploadedFile("schools.csv", "text/csv", data.stat().st_size, "utf-8")
    upload.write(data.read_bytes())
    upload.flush()
    spooled = Path(upload.temporary_file_path())
    job = queue_upload(upload, "schools", user_factory("analyst"))
    assert not spooled.exists()  # moved into the job's folder, not copied
    upload.close()  # as Django does at the request's end: nothing left there to delete
    job.refresh_from_db()
    assert (job.state, job.rows_read) == ("succeeded", 3)


@pytest.mark.parametrize("given", ["\u00b2", "1\u00b2", "9" * 30])
def test_a_job_number_that_is_no_number_is_not_found(client_for, given):
    """'²' is a digit to str.isdigit() but not to int(): 404, not a server error."""
    client = client_for("analyst")
    for page in ("jobs:job", "jobs:progress"):
        assert client.get(reverse(page), {"id": given}).status_code == 404
