"""Reallocation: idle codes go to requests still waiting, each code at most once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.registry.models import Municipality
from ictmonitor.vouchers import services
from ictmonitor.vouchers.models import Request, Voucher
from tests.vouchers.conftest import line, load

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def codes(wave: str) -> list[str]:
    """School 1001's codes: two idle for 40 days, one handed out, one activated, one new."""
    common = {"wave": wave, "requested_on": ago(45), "issued_on": ago(40), "expires_on": ""}
    return [
        line(code="T-1", **common), line(code="T-2", **common),
        line(code="T-3", pupil_ref="3A-07", **common),
        line(code="T-4", activated_on=ago(39), **common),
        line(code="T-5", **{**common, "issued_on": ago(5)}),
    ]


@pytest.fixture
def ledger(schools, open_wave, tmp_path):
    """1001 asked for 5 and got them; then Antwerp (3) and school 2002 (1) asked and wait."""
    services.request_vouchers(open_wave, 5, by="t", institution=schools["1001"])
    antwerp = services.request_vouchers(open_wave, 3, by="t", requested_by="municipality",
                                        municipality=Municipality.objects.get(code="11002"))
    services.request_vouchers(open_wave, 1, by="t", institution=schools["2002"])
    load(tmp_path, *codes(open_wave.code))
    return antwerp


def test_a_dry_run_lists_the_moves_and_changes_nothing(ledger, open_wave):
    moves = services.reallocate(open_wave, by="t", dry_run=True)
    assert [(m.code, m.from_requester, m.to_requester) for m in moves] == [
        ("T-1", "school 1001", "municipality 11002"),
        ("T-2", "school 1001", "municipality 11002"),
    ]
    assert not Voucher.objects.filter(reallocated_at__isnull=False).exists()


def test_idle_codes_go_to_the_oldest_waiting_request_once(ledger, open_wave, schools, tmp_path):
    moved = services.reallocate(open_wave, by="analyst")
    assert [m.code for m in moved] == ["T-1", "T-2"]
    one = Voucher.objects.get(code="T-1")
    assert (one.requested_by, one.requester_municipality_id, one.requester_institution,
            one.school, one.unit, one.request) == ("municipality", "11002", None, None, None,
                                                   ledger)
    assert Request.objects.get(institution=schools["1001"]).released == 2
    entry = AuditEntry.objects.get(object_key="telenet/T-1", actor="analyst")
    assert entry.changes["requester"] == ["school 1001", "municipality 11002"]
    assert services.reallocate(open_wave, by="analyst") == []  # nothing idle is left
    load(tmp_path, *codes(open_wave.code), name="again.csv")  # the provider's old view
    assert Voucher.objects.get(code="T-1").requester_municipality_id == "11002"


def test_the_command_reallocates_a_wave_or_only_says_what_it_would_do(ledger, open_wave):
    out = StringIO()
    call_command("reallocate_vouchers", wave=open_wave.code, dry_run=True, stdout=out)
    assert out.getvalue().splitlines()[-1] == (
        f"{open_wave.code}: would move 2 codes (dry run: nothing changed)")
    out = StringIO()
    call_command("reallocate_vouchers", wave=open_wave.code, stdout=out)
    assert "telenet/T-1: school 1001 → municipality 11002" in out.getvalue()
    assert Voucher.objects.filter(reallocated_at__isnull=False).count() == 2
