"""The audit: every public table of pupils and voucher-summary, on every release, attacked
together with an integer program (tests/reports/audit.py); no suppressed cell may be narrowed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ictmonitor.demo.generator import generate
from ictmonitor.demo.vouchers import write_voucher_feeds
from ictmonitor.registry.importers import import_enrolments, import_school_list
from ictmonitor.registry.models import Enrolment
from ictmonitor.registry.selectors import school_years
from ictmonitor.reports.engine import get_report
from ictmonitor.reports.releases import publish_release
from ictmonitor.vouchers.importers import import_vouchers
from tests.reports.audit import attack

pytestmark = pytest.mark.django_db

SCALE = 0.01  # about 40 institutions: many small counts, and the attack stays quick
RELEASES = [date(2020, 5, 1), date(2020, 12, 11), date(2020, 12, 12), date(2021, 3, 1)]


def load_demo(folder: Path) -> None:
    """The demo's schools, pupil counts and vouchers at a small scale, through the importers."""
    files = generate(folder, scale=SCALE)
    import_school_list(files.schools, actor="test")
    import_enrolments(files.enrolments, actor="test")
    for path in write_voucher_feeds(folder, scale=SCALE, seed=1).feeds:
        import_vouchers(path, actor="test")
    # The demo's schools are big; make a third of their pupil counts small.
    for n, pk in enumerate(Enrolment.objects.order_by("pk").values_list("pk", flat=True)):
        if n % 3 == 0:
            Enrolment.objects.filter(pk=pk).update(pupils=n % 9 + 1)


def test_no_suppressed_pupil_count_can_be_narrowed(tmp_path):
    load_demo(tmp_path)
    years = [int(y[:4]) for y in school_years()]
    audit = attack(get_report("pupils"), [None], years=years)
    assert audit.suppressed > 20, audit  # the dataset has small counts to protect
    assert audit.narrowed == [], audit.narrowed[:5]


def test_no_suppressed_voucher_count_can_be_narrowed_over_the_releases(tmp_path):
    load_demo(tmp_path)
    for day in RELEASES:
        publish_release(day, by="test")
    audit = attack(get_report("voucher-summary"), RELEASES)
    assert audit.suppressed > 20, audit
    assert audit.narrowed == [], audit.narrowed[:5]
