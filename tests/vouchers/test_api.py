"""The voucher API: feeds and activations from providers, the codes each caller may see."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ictmonitor.accounts.models import ApiToken
from ictmonitor.vouchers.models import Voucher
from tests.vouchers.conftest import HEADER, line, load

pytestmark = pytest.mark.django_db

FEEDS = "/api/v1/vouchers/feeds"
ACTIVATIONS = "/api/v1/vouchers/activations"
TODAY = timezone.localdate()


@pytest.fixture
def as_user(user_factory):
    """client(role, **fields) -> a Client sending a fresh API token of such a user."""

    def make(role, **fields):
        user = user_factory(role, **fields)
        client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user, 't')[1]}"})
        client.user = user
        return client

    return make


def upload(client, *lines, name="feed.csv"):
    data = ("\n".join([HEADER, *lines]) + "\n").encode()
    return client.post(FEEDS, {"file": SimpleUploadedFile(name, data, "text/csv")})


def result(client, answer) -> dict:
    """A feed answers 202 naming its job; the job (run at once in the tests) has the result."""
    assert answer.status_code == 202, answer.content
    job = client.get(answer.json()["url"]).json()
    return {**job["result"], "state": job["state"]}


def test_a_provider_sends_its_feed_and_the_same_feed_again_changes_nothing(
        as_user, provider, schools, spring):
    telenet = as_user("provider", provider=provider)
    first = result(telenet, upload(telenet, line(), line(code="T-2")))
    assert (first["state"], first["created"], first["rows"]) == ("succeeded", 2, 2)
    again = result(telenet, upload(telenet, line(), line(code="T-2")))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_a_refused_feed_job_names_the_lines(as_user, provider, schools, spring):
    """The job of a refused feed lists each problem with its file, line and column."""
    telenet = as_user("provider", provider=provider)
    body = result(telenet, upload(telenet, line(), line(code="T-2", pupil_ref="85073003328"),
                                  line(provider="proximus", code="P-1")))
    assert (body["state"], body["total"]) == ("refused", 2) and body["import_id"] is not None
    assert body["problems"] == [
        "feed.csv:3: column pupil_ref: looks like a Belgian national number (11 digits); a "
        "pupil reference must be pseudonymous, never a name or a national number",
        "feed.csv:4: column provider: 'proximus' is another provider; you may send only "
        "'telenet' codes",
    ]
    assert not Voucher.objects.exists()


def test_a_feed_beyond_the_upload_limit_answers_413(as_user, provider, schools, spring,
                                                    settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0.0001
    answer = upload(as_user("provider", provider=provider), *[line(code=f"T-{n}")
                                                              for n in range(20)])
    assert answer.status_code == 413 and "MB" in answer.json()["detail"]
    assert not Voucher.objects.exists()


def test_only_providers_and_the_department_send_feeds(as_user, schools, spring):
    assert upload(as_user("coordinator", institutions=[schools["1001"]]), line()).status_code \
        == 403
    assert upload(as_user("analyst"), line()).status_code == 202


def test_a_provider_reports_an_activation_once(as_user, provider, schools, spring, tmp_path):
    load(tmp_path, line(issued_on=(TODAY - timedelta(days=3)).isoformat(), expires_on=""))
    telenet = as_user("provider", provider=provider)
    body = {"code": "T-0001", "activated_on": TODAY.isoformat()}
    first = telenet.post(ACTIVATIONS, body, content_type="application/json")
    assert first.status_code == 200 and first.json()["state"] == "activated"
    assert telenet.post(ACTIVATIONS, body, content_type="application/json").status_code == 409
    unknown = telenet.post(ACTIVATIONS, {**body, "code": "nope"},
                           content_type="application/json")
    assert unknown.status_code == 404
    other = as_user("provider")
    assert other.post(ACTIVATIONS, body, content_type="application/json").status_code == 404
    analyst = as_user("analyst")
    assert analyst.post(ACTIVATIONS, body, content_type="application/json").status_code == 403


def test_each_caller_lists_only_the_codes_it_may_see(as_user, provider, schools, spring,
                                                     tmp_path):
    load(tmp_path, line(), line(provider="proximus", code="P-1"),
         line(code="T-2", requester_id="2002", schoolnummer="2002", pupil_ref="3A-07",
              expires_on=""))
    seen = {role: {v["code"] for v in client.get("/api/v1/vouchers").json()["items"]}
            for role, client in {
                "telenet": as_user("provider", provider=provider),
                "school": as_user("coordinator", institutions=[schools["2002"]]),
                "analyst": as_user("analyst"),
            }.items()}
    assert seen == {"telenet": {"T-0001", "T-2"}, "school": {"T-2"},
                    "analyst": {"T-0001", "T-2", "P-1"}}
    listed = as_user("analyst").get("/api/v1/vouchers", {"provider": "telenet",
                                                          "state": "handed-out"}).json()
    assert [v["code"] for v in listed["items"]] == ["T-2"]
    assert "3A-07" not in str(listed)  # the pupil reference stays with the school
