"""The code list of the API reads through the ledger's selector: who sees which codes, filters."""

from __future__ import annotations

from datetime import date

import pytest

from ictmonitor.connectivity.models import Provider
from ictmonitor.vouchers.selectors import listed_vouchers
from tests.vouchers.conftest import line, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(schools, spring, tmp_path):
    """Telenet's T-1 (activated) and T-2 at 1001, Proximus' P-1 at 2002."""
    run = load(tmp_path,
               line(code="T-1", activated_on="2020-04-01"), line(code="T-2"),
               line(provider="proximus", code="P-1", requester_id="2002", schoolnummer="2002"))
    assert run.status == "succeeded", run.problems


def listed(user, **filters) -> list[str]:
    """The codes the selector lists, in its order."""
    return [v.code for v in listed_vouchers(user, day=date(2020, 5, 1), **filters)]


def test_each_caller_sees_its_own_codes_filtered(codes, schools, user_factory):
    analyst = user_factory("analyst")
    assert listed(analyst) == ["P-1", "T-1", "T-2"]
    assert listed(analyst, provider="telenet") == ["T-1", "T-2"]
    assert listed(analyst, wave="2020-spring", state="activated") == ["T-1"]
    assert listed(analyst, wave="2021-spring") == []
    telenet = user_factory("provider", provider=Provider.objects.get(code="telenet"))
    assert listed(telenet) == ["T-1", "T-2"]
    assert listed(user_factory("coordinator", institutions=[schools["2002"]])) == ["P-1"]
