"""Running a failed job again asks the rules that queued it once more, now: a provider whose
link to its provider ended, or a user whose role changed, may not run its failed job again (the
page says why, the API answers 403), nor may the department run it again in their name; work
(a report pack, a release) likewise by its kind's roles."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from ictmonitor.accounts.models import ApiToken
from ictmonitor.connectivity.models import Provider
from ictmonitor.core.workkinds import queue_work
from ictmonitor.jobs import kinds
from ictmonitor.jobs.abandoned import run_again
from ictmonitor.jobs.models import Job
from ictmonitor.jobs.uploads import UploadRefused, queue_upload
from tests.connectivity.test_pages import feed_file
from tests.jobs.test_jobs import TELENET_LINE, school_upload
from tests.jobs.test_work import flaky_kind as flaky_kind  # a fixture

pytestmark = pytest.mark.django_db


def _broken(*args, **kwargs):
    raise OSError("disk full")


@pytest.fixture
def failing(monkeypatch):
    """Every import fails (its worker's disk is full): jobs end failed, to be run again."""
    for code, kind in list(kinds.KINDS.items()):
        monkeypatch.setitem(kinds.KINDS, code, kinds.ImportKind(
            code, kind.label, _broken, provider_feed=kind.provider_feed))


def _failed_feed(user) -> Job:
    job = queue_upload(feed_file(TELENET_LINE.format(n=1)), "subscriptions", user)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.may_run_again
    return job


def _page_again(client: Client, job: Job) -> str:
    answer = client.post(reverse("jobs:job"), {"id": job.pk}, follow=True)
    return answer.content.decode()


def _api_again(user, job: Job):
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user, 't')[1]}",
                             "Accept-Language": "en"})
    return client.post(reverse("api:run_job_again", kwargs={"job_id": job.pk}))


def test_a_provider_whose_link_ended_may_not_run_its_feed_again(client_for, failing):
    telenet = client_for("provider", provider=Provider.objects.get(code="telenet"))
    job = _failed_feed(telenet.user)

    telenet.user.provider = None  # the provider's employee left
    telenet.user.save()
    page = _page_again(telenet, job)  # in Dutch, the site's language
    assert "U mag deze taak niet opnieuw uitvoeren: dit werk is niet langer aan u." in page
    answer = _api_again(telenet.user, job)
    assert answer.status_code == 403
    assert answer.json()["detail"] == ("You may not run this job again: it is no longer yours "
                                       "to do.")
    # Nor does the department run it again in their name.
    analyst = client_for("analyst")
    with pytest.raises(UploadRefused, match=telenet.user.username):
        run_again(job, analyst.user)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 1)

    # Linked to another provider: the job's rows are still Telenet's, not theirs.
    telenet.user.provider = Provider.objects.get(code="proximus")
    telenet.user.save()
    assert _api_again(telenet.user, job).status_code == 403

    telenet.user.provider = Provider.objects.get(code="telenet")  # linked again: it runs
    telenet.user.save()
    assert _api_again(telenet.user, job).status_code == 202
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_user_whose_role_changed_may_not_run_an_import_again(client_for, tmp_path, failing):
    analyst = client_for("analyst")
    job = queue_upload(school_upload(tmp_path), "schools", analyst.user)
    job.refresh_from_db()
    analyst.user.role = "coordinator"
    analyst.user.save()
    assert "dit werk is niet langer aan u" in _page_again(analyst, job)
    with pytest.raises(UploadRefused):
        run_again(job, analyst.user)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 1)
    with pytest.raises(UploadRefused):  # not even by the operator: it runs in their name
        run_again(job, None)


def test_work_runs_again_only_for_those_its_kind_is_for(client_for, flaky_kind):
    analyst = client_for("analyst")
    job = queue_work("flaky", {"what": "tea", "language": "en"}, analyst.user, "Tea")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    analyst.user.role = "board"
    analyst.user.save()
    with pytest.raises(UploadRefused):
        run_again(job, analyst.user)
    with pytest.raises(PermissionDenied):  # as queueing it the first time
        queue_work("flaky", {"what": "tea"}, analyst.user, "Tea")
    analyst.user.role = "analyst"
    analyst.user.save()
    assert run_again(job, analyst.user)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
