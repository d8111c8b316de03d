"""The audit of voucher-funnel: every public table on every release, attacked together with an
integer program (tests/reports/audit.py); no suppressed cell may be narrowed."""

from __future__ import annotations

import pytest

from ictmonitor.reports.engine import get_report
from ictmonitor.reports.releases import publish_release
from tests.reports.audit import attack
from tests.reports.test_disclosure_audit import RELEASES, load_demo

pytestmark = pytest.mark.django_db


def test_no_suppressed_funnel_count_can_be_narrowed_over_the_releases(tmp_path):
    load_demo(tmp_path)
    for day in RELEASES:
        publish_release(day, by="test")
    audit = attack(get_report("voucher-funnel"), RELEASES)
    assert audit.suppressed > 20, audit
    assert audit.narrowed == [], audit.narrowed[:5]
