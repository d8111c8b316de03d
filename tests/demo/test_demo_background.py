"""`ictmonitor demo --background`: the logins first, the load as a background job whose page
shows its steps, with the same data as a load in the foreground."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from ictmonitor.jobs.models import Job
from ictmonitor.registry.models import Institution
from ictmonitor.reports.selectors import release_dates

pytestmark = pytest.mark.django_db


def test_the_demo_loads_as_a_job_the_analyst_follows(tmp_path, client):
    out = StringIO()
    call_command("demo", scale=0.005, no_serve=True, background=True, output=tmp_path,
                 stdout=out, stderr=StringIO())
    job = Job.objects.get(kind="demo")  # the tests' tasks run at once
    assert job.state == Job.State.SUCCEEDED, job.reason
    assert job.user.username == "analyst" and job.size == 12 and job.rows_read == 12
    assert job.summary.startswith("Demo loaded. Releases for the public pages:")
    assert Institution.objects.exists() and len(release_dates()) >= 2
    said = out.getvalue()
    assert f"background job {job.pk}" in said and "ictmonitor worker" in said
    assert "analyst" in said  # the logins are printed at once
    client.force_login(job.user)
    page = client.get(f"{reverse('jobs:job')}?id={job.pk}").content.decode()
    assert "Demo loaded." in page
