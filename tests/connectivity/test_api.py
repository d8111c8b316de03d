"""The connectivity API: feeds sent with a provider's token, lines scoped by caller, catalogue."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from ictmonitor.accounts.models import ApiToken
from ictmonitor.connectivity.models import Provider, Request, Subscription
from ictmonitor.connectivity.services import submit_request
from tests.connectivity.test_pages import feed_file
from tests.connectivity.test_pages import schools as schools  # a fixture

pytestmark = pytest.mark.django_db

FEEDS = "/api/v1/connectivity/feeds"
LINES = "/api/v1/connectivity/lines"
CATALOGUE = "/api/v1/connectivity/catalogue"
TELENET_LINE = "telenet;T-1;1001;1;managed;500;500;firewall|wifi;2025-01-10;2025-02-01;"
PROXIMUS_LINES = ("proximus;P-1;1001;2;internet-only;100;20;;2025-01-10;2025-02-01;",
                  "proximus;P-2;2001;1;internet-only;100;20;;2025-01-10;2025-02-01;2025-06-30")


@pytest.fixture
def token_for(user_factory):
    """client(role, **fields) -> a Client that sends an API token of a new user of that role."""

    def make(role: str, **fields) -> Client:
        user = user_factory(role, **fields)
        secret = ApiToken.issue(user, "tests")[1]
        client = Client(headers={"Authorization": f"Bearer {secret}"})
        client.user = user  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def telenet(token_for):
    """Telenet's feed program."""
    return token_for("provider", provider=Provider.objects.get(code="telenet"))


@pytest.fixture
def proximus(token_for):
    """Proximus' feed program."""
    return token_for("provider", provider=Provider.objects.get(code="proximus"))


def result(client: Client, answer) -> dict:
    """The 202 of a feed names its job; the job (run at once in the tests) has the result."""
    assert answer.status_code == 202, answer.content
    queued = answer.json()
    assert answer["Location"] == queued["url"] == f"/api/v1/jobs/{queued['id']}"
    job = client.get(queued["url"]).json()
    assert job["state"] in {"succeeded", "refused"}, job
    return {**job["result"], "state": job["state"], "file": job["file"]}


def test_a_provider_sends_its_feed_and_it_confirms_a_request(schools, telenet, user_factory):
    coordinator = user_factory("coordinator", institutions=[schools.two])
    submit_request(location=schools.two.locations.get(number="1"), provider="telenet",
                   offer="managed", download_mbps=500, modules=["firewall", "wifi"],
                   user=coordinator, access_points=3)
    body = result(telenet, telenet.post(FEEDS, {"file": feed_file(TELENET_LINE)}))
    assert (body["file"], body["rows"], body["created"], body["updated"], body["unchanged"],
            body["requests_confirmed"]) == ("feed.csv", 1, 1, 0, 0, 1)
    request = Request.objects.get()
    assert request.status == "confirmed" and request.line.contract_id == "T-1"


def test_sending_the_same_feed_twice_changes_nothing(schools, telenet):
    telenet.post(FEEDS, {"file": feed_file(TELENET_LINE)})
    again = result(telenet, telenet.post(FEEDS, {"file": feed_file(TELENET_LINE)}))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)


def test_a_providers_feed_with_another_providers_line_is_refused(schools, telenet):
    body = result(telenet, telenet.post(FEEDS, {"file": feed_file(TELENET_LINE,
                                                                   PROXIMUS_LINES[0])}))
    assert body["state"] == "refused"
    assert body["problems"] == [
        "feed.csv:3: column provider: 'proximus' is another provider; you may send only "
        "'telenet' lines"
    ]
    assert body["total"] == 1
    assert not Subscription.objects.exists()


def test_a_feed_without_a_file_is_a_422(telenet):
    assert telenet.post(FEEDS, {}).status_code == 422


def test_schools_cannot_send_feeds(schools, token_for):
    coordinator = token_for("coordinator", institutions=[schools.two])
    answer = coordinator.post(FEEDS, {"file": feed_file(TELENET_LINE)})
    assert answer.status_code == 403 and not Subscription.objects.exists()


def test_the_department_may_send_any_providers_lines(schools, token_for):
    analyst = token_for("analyst")
    answer = analyst.post(FEEDS, {"file": feed_file(TELENET_LINE, *PROXIMUS_LINES)})
    assert result(analyst, answer)["created"] == 3


def contracts(client: Client, **params) -> list[str]:
    """The contract ids of the lines a client gets."""
    answer = client.get(LINES, params)
    assert answer.status_code == 200, answer.content
    return [line["contract_id"] for line in answer.json()["items"]]


def test_each_caller_sees_only_the_lines_it_may(schools, telenet, proximus, token_for):
    telenet.post(FEEDS, {"file": feed_file(TELENET_LINE)})
    proximus.post(FEEDS, {"file": feed_file(*PROXIMUS_LINES)})
    assert contracts(telenet) == ["T-1"]
    assert contracts(proximus) == ["P-1", "P-2"]
    assert contracts(proximus, school="1001") == ["P-1"]
    assert contracts(token_for("coordinator", institutions=[schools.two])) == ["P-1", "T-1"]
    assert contracts(token_for("board", boards=[schools.board])) == ["P-1", "T-1"]
    assert contracts(token_for("analyst")) == ["P-1", "P-2", "T-1"]
    assert contracts(token_for("analyst"), active_on="2025-07-01") == ["P-1", "T-1"]
    line = telenet.get(LINES).json()["items"][0]
    assert line == {
        "provider": "telenet", "contract_id": "T-1", "school": "1001", "location": "1",
        "offer": "managed", "download_mbps": 500, "upload_mbps": 500,
        "modules": ["firewall", "wifi"], "requested_on": "2025-01-10",
        "started_on": "2025-02-01", "ended_on": None,
    }


def test_the_catalogue_explains_each_module_and_shows_the_callers_prices(telenet, token_for):
    own = telenet.get(CATALOGUE).json()
    firewall = next(m for m in own["modules"] if m["code"] == "firewall")
    assert firewall["does"]["en"].startswith("Stops unsolicited traffic")
    assert firewall["risk"]["nl"].startswith("Inbraak van buitenaf")
    assert next(m for m in own["modules"] if m["code"] == "vpn")["min_locations"] == 2
    assert [p["provider"] for p in own["prices"]] == ["telenet"]
    assert own["version"] == {"code": "flemish-fibre-2023", "valid_from": "2023-09-01",
                              "valid_until": None, "vat_rate": "0.210", "contract_months": 60,
                              "estimate": True}
    managed = [t for t in own["prices"][0]["offers"] if t["offer"] == "managed"]
    assert (managed[1]["download_mbps"], managed[1]["upload_mbps"]) == (500, 500)
    assert Decimal(managed[1]["monthly_eur"]) == Decimal("44.00")
    assert Decimal(managed[1]["one_off_eur"]) == Decimal("150.00")
    wifi = next(m for m in own["prices"][0]["modules"] if m["module"] == "wifi")
    assert (Decimal(wifi["monthly_eur"]), wifi["per"]) == (Decimal("3.60"), "access-point")
    everyone = token_for("coordinator").get(CATALOGUE).json()
    assert [p["provider"] for p in everyone["prices"]] == ["proximus", "telenet"]
