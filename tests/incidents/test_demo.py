"""The demo's incident logs: the demo school's handful, and a few for half of the other schools,
recorded through the service (stamped and audited), none in the future, none naming anyone by
number; a second run adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.national_numbers import national_number_kind
from ictmonitor.demo.incidents import DEMO_SCHOOL_LOG, MOST_PER_SCHOOL, load_incidents
from ictmonitor.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_the_demo_school_and_half_the_others_get_a_log_once(schools):
    summary = load_incidents(seed=1)
    found = list(Incident.objects.all())
    assert summary == f"Incident logs: {len(found)} incidents recorded"
    own = [i for i in found if i.institution == schools.basis]  # the demo school: a basisschool
    assert sorted(i.kind for i in own) == sorted(kind for _days, kind in DEMO_SCHOOL_LOG)
    others = {i.institution for i in found} - {schools.basis}
    assert len(others) == 1  # half of the two others
    assert 1 <= len(found) - len(own) <= MOST_PER_SCHOOL
    assert all(i.occurred_on <= i.recorded_on <= timezone.localdate() for i in found)
    assert not any(national_number_kind(i.actions + " " + i.lessons) for i in found)
    assert AuditEntry.objects.filter(table="incidents.incident").count() == len(found)
    assert load_incidents(seed=1) == "Incident logs: made before"
    assert Incident.objects.count() == len(found)
