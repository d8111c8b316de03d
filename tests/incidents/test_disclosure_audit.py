"""The audit of tests/reports/audit.py on the incidents report: the demo's incident logs on a
small registry, every public table (up to three dimensions) on every release attacked together
with an integer program; no suppressed count may be narrowed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ictmonitor.demo.generator import generate
from ictmonitor.demo.incidents import load_incidents
from ictmonitor.registry.importers import import_school_list
from ictmonitor.reports.engine import get_report
from ictmonitor.reports.releases import publish_release
from tests.reports.audit import attack

pytestmark = pytest.mark.django_db

SCALE = 0.02  # about 80 institutions: a few hundred incidents, mostly small cells


def test_no_suppressed_incident_count_can_be_narrowed_over_the_releases(tmp_path):
    files = generate(tmp_path, scale=SCALE)
    import_school_list(files.schools, actor="test")
    load_incidents(seed=1)
    today = timezone.localdate()
    releases = [date(today.year - 1, 6, 30), date(today.year - 1, 12, 31),
                today - timedelta(days=1)]  # the latest a release may be: today is not over
    for day in releases:
        publish_release(day, by="test")
    audit = attack(get_report("incidents"), releases)
    assert audit.suppressed > 20, audit  # there are small counts to protect
    assert audit.narrowed == [], audit.narrowed[:5]
