"""The provider's voucher page: per allocated request the codes it issued and activated (its own
only), per wave, and its days to activation, each read without a join grouped per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ictmonitor.connectivity.models import Provider
from ictmonitor.vouchers import selectors, services
from tests.vouchers.conftest import line, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def allocated(schools, open_wave, tmp_path):
    """School 1001's request split between Telenet (3) and Proximus (1), 2002's all Telenet;
    then both providers' feeds: Telenet issued two codes to 1001 (one activated) and one to
    2002, Proximus one to 1001 (activated)."""
    Provider.objects.get_or_create(code="proximus", defaults={"name": "Proximus"})
    first = services.request_vouchers(open_wave, 4, by="t", institution=schools["1001"])
    second = services.request_vouchers(open_wave, 1, by="t", institution=schools["2002"])
    services.allocate(first, {"telenet": 3, "proximus": 1}, by="t")
    services.allocate(second, {"telenet": 1}, by="t")
    load(tmp_path,
         line(code="T-1", wave=open_wave.code, issued_on="2020-03-25", activated_on="2020-03-27"),
         line(code="T-2", wave=open_wave.code),
         line(code="T-3", wave=open_wave.code, requester_id="2002", schoolnummer="2002"),
         line(provider="proximus", code="P-1", wave=open_wave.code,
              activated_on="2020-04-04"))
    return first, second


def test_each_allocation_counts_the_providers_own_codes(client_for, allocated):
    for code, expected in (("telenet", {"1001": (3, 2, 1), "2002": (1, 1, 0)}),
                           ("proximus", {"1001": (1, 1, 1)})):
        provider = Provider.objects.get(code=code)
        page = client_for("provider", provider=provider).get(reverse("vouchers:provider"))
        shown = {a.request.institution.number: (a.codes, a.issued, a.activated)
                 for a in page.context["page"]}
        assert shown == expected, code
        [wave] = page.context["waves"]
        assert (wave["wave__name_nl"], wave["issued"]) == ("Nu", sum(
            issued for _, issued, _ in expected.values()))
    assert selectors.activation_times(provider="proximus") == [
        {"provider": "proximus", "activated": 1, "median": 10, "p90": 10}]


def test_the_provider_page_groups_no_allocation_rows(client_for, allocated):
    """The counts are subqueries on the request's codes: the allocations query has no GROUP BY
    (it had one over every selected column, 700 ms at national scale), and the days to
    activation are counted for this provider only."""
    telenet = client_for("provider", provider=Provider.objects.get(code="telenet"))
    with CaptureQueriesContext(connection) as queries:
        page = telenet.get(reverse("vouchers:provider"))
    assert page.status_code == 200
    [allocations] = [q["sql"] for q in queries.captured_queries
                     if 'FROM "vouchers_allocation"' in q["sql"] and "COUNT(*)" not in q["sql"]]
    # What follows the outer FROM (the subqueries stand before it, in the selected columns).
    assert "GROUP BY" not in allocations.rsplit('FROM "vouchers_allocation"', 1)[1]
    [times] = [q["sql"] for q in queries.captured_queries if '"days"' in q["sql"]]
    assert "'telenet'" in times
    assert [row["provider"] for row in page.context["times"]] == ["telenet"]
