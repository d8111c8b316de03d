"""A large upload is spooled into DATA_DIR/uploads/ (jobs/spooled.py), named as this process's
upload copy, and the job's file is that file moved, never copied from the system's temporary
folder in the request (issue 13: a million-line feed answered within 2 s)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from ictmonitor.accounts.models import ApiToken
from ictmonitor.core.unfinished import upload_dir, upload_suffix
from ictmonitor.jobs import uploads
from ictmonitor.jobs.models import Job
from tests.connectivity.test_pages import feed_file
from tests.jobs.test_jobs import TELENET_LINE
from tests.jobs.test_jobs import database_queue as database_queue  # a fixture

pytestmark = pytest.mark.django_db


def test_a_large_upload_is_spooled_in_the_data_folder_and_moved_to_its_job(
        user_factory, settings, monkeypatch, database_queue):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # larger uploads go to a file
    moved: list[tuple[Path, Path]] = []
    real = os.replace

    def replace(source, target):  # noqa: ANN001
        moved.append((Path(source), Path(target)))
        real(source, target)

    monkeypatch.setattr(uploads.os, "replace", replace)
    analyst = user_factory("analyst")
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(analyst, 't')[1]}"})
    answer = client.post("/api/v1/connectivity/feeds",
                         {"file": feed_file(*(TELENET_LINE.format(n=n) for n in range(100)))})
    assert answer.status_code == 202, answer.content
    job = Job.objects.get()
    [(source, target)] = moved
    assert source.parent == upload_dir() and source.name.endswith(upload_suffix())
    assert target == Path(job.path) and target.stat().st_size == job.size > 1024
    assert not source.exists()  # moved, and nothing left behind in uploads/
