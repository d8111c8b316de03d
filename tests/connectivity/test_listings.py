"""The lines page and the lines API list through one selector: the same lines, filters, order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ictmonitor.accounts.models import ApiToken
from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.connectivity.selectors import listed_lines
from tests.connectivity.test_api import PROXIMUS_LINES, TELENET_LINE
from tests.connectivity.test_pages import feed_bytes
from tests.connectivity.test_pages import schools as schools  # a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(schools, tmp_path):
    """Telenet's line at 1001 and Proximus' two (P-2 at 2001 ended mid-2025)."""
    path = tmp_path / "feed.csv"
    path.write_bytes(feed_bytes(TELENET_LINE, *PROXIMUS_LINES))
    run = import_subscriptions(path, actor="test")
    assert run.status == "succeeded", run.problems


@pytest.mark.parametrize("params", [{}, {"school": "1001"}, {"school": " 2001 "},
                                    {"provider": "proximus"},
                                    {"school": "1001", "provider": "telenet"}])
def test_the_page_and_the_api_list_the_same_lines(lines, client_for, params):
    client = client_for("analyst")
    page = client.get(reverse("connectivity:lines"), params)
    on_page = [line.contract_id for line in page.context["page"]]
    secret = ApiToken.issue(client.user, "tests")[1]
    api = client.get("/api/v1/connectivity/lines", params,
                     headers={"Authorization": f"Bearer {secret}"})
    assert [line["contract_id"] for line in api.json()["items"]] == on_page
    assert on_page == [line.contract_id for line in listed_lines(client.user, **params)]


def test_the_selector_filters_by_school_provider_and_day(lines, user_factory):
    from datetime import date

    analyst = user_factory("analyst")
    assert [x.contract_id for x in listed_lines(analyst)] == ["P-1", "P-2", "T-1"]
    assert [x.contract_id for x in listed_lines(analyst, school="2001")] == ["P-2"]
    assert [x.contract_id for x in listed_lines(analyst, active_on_day=date(2025, 7, 1))] == [
        "P-1", "T-1"]
    from ictmonitor.connectivity.models import Provider

    telenet = user_factory("provider", provider=Provider.objects.get(code="telenet"))
    assert [x.contract_id for x in listed_lines(telenet)] == ["T-1"]
