"""The demo's voucher waves (seed 002) load through the feed importer with the seed's figures."""

from collections import Counter

import pytest

from ictmonitor.demo.vouchers import record_reasons, write_voucher_feeds
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report
from ictmonitor.vouchers.importers import import_vouchers
from ictmonitor.vouchers.models import Request, Voucher

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_spring_and_autumn_2020_waves_with_the_seeds_figures(
        schools, tmp_path):
    demo = write_voucher_feeds(tmp_path / "demo", scale=1.0, seed=7)
    for path in demo.feeds:
        import_vouchers(path, actor="demo")
    result = run_report(get_report("voucher-summary"), Parameters(by=("wave",)))
    figures = {r["wave"]: (r["issued"], r["activated"]) for r in result.rows}
    assert figures["2020-spring"] == (47_000, 7_924)
    assert figures["2020-autumn"][1] == 200
    assert result.labels["wave"]["2020-spring"].startswith("Eerste lockdown")
    assert Voucher.objects.filter(wave__code="2020-spring", extended_until__isnull=False,
                                  activated_on__isnull=True).count() == 0
    # Every code is counted under the request it was issued for.
    assert not Voucher.objects.filter(request__isnull=True).exists()
    assert Request.objects.filter(wave__code="2020-autumn").exists()
    # The funnel: more asked than issued (requests still waiting), and the hand-outs.
    funnel = run_report(get_report("voucher-funnel"), Parameters(by=("wave",)))
    spring = next(r for r in funnel.rows if r["wave"] == "2020-spring")
    assert spring["requested"] > spring["issued"] == 47_000
    assert 7_924 < spring["handed_out"] < 47_000 and spring["activated"] == 7_924
    assert spring["activated_share"] == pytest.approx(7_924 / spring["handed_out"])
    # Schools record why codes were not activated, once.
    noted = record_reasons(seed=7)
    reasons = Counter(Voucher.objects.exclude(problem="").values_list("problem", flat=True))
    assert noted == f"Reasons recorded for {sum(reasons.values()):,} voucher codes not activated\n"
    assert set(reasons) == {"no-longer-needed", "declined", "no-coverage", "pupil-left",
                            "unknown"}
    assert reasons["no-longer-needed"] > reasons["no-coverage"]
    assert not Voucher.objects.exclude(problem="").filter(activated_on__isnull=False).exists()
    assert record_reasons(seed=7) == "Reasons recorded for 0 voucher codes not activated\n"
