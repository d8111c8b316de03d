"""Long work other than imports runs as background jobs (core/workkinds.py, jobs/work.py): the
answer pack, a release and a wave's reallocation are queued from their pages, show their
progress and result on the job's page and in the API, and a failed one can be run again."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from ictmonitor.core.workkinds import WORK_KINDS, WorkDone, WorkKind, queue_work
from ictmonitor.jobs.abandoned import run_again
from ictmonitor.jobs.models import Job
from ictmonitor.reports.selectors import release_dates

pytestmark = pytest.mark.django_db

ATTEMPTS: list[int] = []


def flaky(parameters, *, user, actor, progress):
    """Work that fails the first time it runs, then makes what it was asked for."""
    ATTEMPTS.append(1)
    progress(1, 2, "half")
    if len(ATTEMPTS) == 1:
        raise RuntimeError("the disk was full")
    return WorkDone(summary=f"made {parameters['what']}")


@pytest.fixture
def flaky_kind():
    ATTEMPTS.clear()
    WORK_KINDS["flaky"] = WorkKind("flaky", "flaky work", f"{__name__}.flaky")
    yield
    del WORK_KINDS["flaky"]


def test_the_answer_pack_is_made_as_a_job_and_downloaded_by_its_owner(client_for):
    analyst = client_for("analyst")
    answer = analyst.post(reverse("reports:pack"), {"at": "2026-01-05", "public": "on"},
                          follow=True)
    job = Job.objects.get(kind="report-pack")
    assert job.state == Job.State.SUCCEEDED and job.user == analyst.user
    assert job.parameters == {"at": "2026-01-05", "public": True, "language": "nl"}
    page = answer.content.decode()
    assert "Antwoordenbundel 2026-01-05" in page and "ictmonitor-2026-01-05.pdf" in page
    output = f"{reverse('jobs:output')}?id={job.pk}"
    pdf = analyst.get(output)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'filename="ictmonitor-2026-01-05.pdf"' in pdf["Content-Disposition"]
    assert client_for("coordinator").get(output).status_code == 404  # not theirs
    shown = analyst.get(reverse("api:get_job", kwargs={"job_id": job.pk})).json()
    assert shown["output"] == output and "2026-01-05" in shown["summary"]


def test_a_release_is_published_by_a_job_and_a_refusal_is_told(client_for):
    analyst = client_for("analyst")
    analyst.post(reverse("reports:release"), {"on": "2021-03-01"})
    assert release_dates() == [date(2021, 3, 1)]
    answer = analyst.post(reverse("reports:release"), {"on": "2021-03-01"}, follow=True)
    job = Job.objects.filter(kind="publish").order_by("-pk").first()
    assert job.state == Job.State.REFUSED and "al gepubliceerd" in job.reason
    assert "2021-03-01 is al gepubliceerd." in answer.content.decode()
    assert not job.may_run_again  # a refusal is an answer, not a fault


def test_the_report_pack_command_makes_the_same_pdf_in_the_foreground(tmp_path):
    err = StringIO()
    call_command("report_pack", at="2026-01-05", output=tmp_path / "pack.pdf", stderr=err)
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
    assert "[1/" in err.getvalue() and "reports" in err.getvalue()


def test_failed_work_can_be_run_again_with_its_parameters(client_for, flaky_kind):
    analyst = client_for("analyst")
    job = queue_work("flaky", {"what": "tea", "language": "en"}, analyst.user, "Tea")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.reason_text("en").startswith("RuntimeError")
    assert "the disk was full" not in job.reason_text("en") + str(job.reason_params)  # the log's
    assert job.reason_text("nl") == "RuntimeError, details in het logboek van de server"
    assert job.may_run_again and run_again(job, analyst.user)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.summary == "made tea"
    assert job.rows_read == 1 and job.size == 2
    page = analyst.get(f"{reverse('jobs:job')}?id={job.pk}").content.decode()
    assert "made tea" in page
