"""A job's checks, run in steps, tell the rows checked so far: written to the job's row and shown
by the API (`rows_checked`) and the job's page while the job is checking (issue 13: progress
moves at least every 2 s)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ictmonitor.accounts.models import ApiToken
from ictmonitor.connectivity import importers
from ictmonitor.jobs import tasks
from ictmonitor.jobs.models import Job
from ictmonitor.jobs.uploads import queue_upload
from tests.connectivity.test_pages import feed_file
from tests.connectivity.test_pages import schools as schools  # a fixture

pytestmark = pytest.mark.django_db

LINE = "telenet;T-{n};1001;;internet-only;100;20;;;2016-01-01;"


def test_a_job_tells_the_rows_checked_step_by_step(schools, user_factory, client_for,
                                                   settings, monkeypatch):
    settings.IMPORT_MERGE_SLICE_ROWS = 2  # 6 lines: three steps of the checks
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 0)
    analyst = user_factory("analyst")
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(analyst, 't')[1]}"})
    page = client_for("analyst")
    seen: list[tuple[int, int, str, str]] = []
    real = importers.Subscriptions._check_locations

    def look(table, mains, after, up_to, problems):  # each step looks at the job first
        job = Job.objects.get()
        shown = api.get(reverse("api:get_job", kwargs={"job_id": job.pk})).json()
        fragment = page.get(reverse("jobs:progress"), {"id": job.pk}).content.decode()
        seen.append((shown["rows_checked"], job.rows_checked, shown["phase"],
                     "rijen gecontroleerd" if "rijen gecontroleerd" in fragment else ""))
        return real(table, mains, after, up_to, problems)

    monkeypatch.setattr(importers.Subscriptions, "_check_locations", staticmethod(look))
    job = queue_upload(feed_file(*(LINE.format(n=n) for n in range(6))), "subscriptions",
                       analyst)
    job.refresh_from_db()
    assert (job.state, job.import_run.created) == ("succeeded", 6)
    assert seen == [(0, 0, "checking", ""), (2, 2, "checking", "rijen gecontroleerd"),
                    (4, 4, "checking", "rijen gecontroleerd")]
