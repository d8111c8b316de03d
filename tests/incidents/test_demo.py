"""The demo's incident logs: the demo school's handful, recorded through the service (stamped
and audited), none in the future, none naming anyone by number; a second run adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.national_numbers import national_number_kind
from ictmonitor.demo.incidents import DEMO_SCHOOL_LOG, load_incidents
from ictmonitor.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_the_demo_school_gets_its_log_once(schools):
    assert load_incidents(seed=1) == f"Incident logs: {len(DEMO_SCHOOL_LOG)} incidents recorded"
    found = list(Incident.objects.all())
    assert {i.institution for i in found} == {schools.basis}  # the demo school: a basisschool
    assert len({i.kind for i in found}) == len(DEMO_SCHOOL_LOG)
    assert all(i.occurred_on <= i.recorded_on <= timezone.localdate() for i in found)
    assert not any(national_number_kind(i.actions + " " + i.lessons) for i in found)
    assert AuditEntry.objects.filter(table="incidents.incident").count() == len(found)
    assert load_incidents(seed=1) == "Incident logs: made before"
    assert Incident.objects.count() == len(found)
