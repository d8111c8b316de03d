"""`ictmonitor demo`: loads the dataset through the importers and makes a login per role."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from ictmonitor.accounts.models import User
from ictmonitor.connectivity.models import Provider
from ictmonitor.core.models import ImportRun
from ictmonitor.registry.models import Enrolment, Institution, Location
from ictmonitor.reports.selectors import release_dates


def run_demo(output: Path) -> str:
    """Run the demo at scale 0.01 without serving; returns what it printed."""
    out = StringIO()
    call_command("demo", scale=0.01, no_serve=True, output=output, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> dict[str, Any]:
    """Everything the demo writes, as comparable values."""
    return {
        "institutions": list(Institution.objects.values()),
        "locations": list(Location.objects.values()),
        "enrolments": list(Enrolment.objects.values()),
        "users": [
            (u.pk, u.username, u.role, u.is_superuser, u.provider_id,
             sorted(u.institutions.values_list("number", flat=True)),
             sorted(u.boards.values_list("code", flat=True)))
            for u in User.objects.order_by("username")
        ],
        "providers": list(Provider.objects.values()),
    }


def test_the_demo_loads_schools_and_makes_a_login_per_role(db: None, tmp_path: Path) -> None:
    printed = run_demo(tmp_path)
    assert 35 <= Institution.objects.count() <= 50
    assert Location.objects.filter(province__isnull=True).count() == 0
    assert Enrolment.objects.exists()
    assert release_dates() == [date(2020, 7, 1), date(2021, 1, 1),
                               timezone.localdate() - timedelta(days=1)]
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {"analyst", "board", "coordinator", "provider", "admin"}
    assert {u.role for u in users.values()} == set(users)
    assert users["board"].boards.get().institution_set.count() >= 2
    school = users["coordinator"].institutions.get()
    assert school.level == "basis" and school.locations.count() >= 2
    assert Enrolment.objects.filter(location__institution=school).exists()
    assert users["provider"].provider.name == "Telenet"
    assert Provider.objects.filter(code="proximus").exists()
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not users["analyst"].is_staff
    for name, user in users.items():
        line = next(row for row in printed.splitlines() if f"  {name}  " in row)
        password = line.split()[2]
        assert user.check_password(password), name
        assert "/accounts/login/" in line


def test_running_the_demo_twice_changes_nothing(db: None, tmp_path: Path) -> None:
    run_demo(tmp_path)
    before = snapshot()
    run_demo(tmp_path)
    assert snapshot() == before
    latest = ImportRun.objects.filter(status="succeeded").order_by("-pk")[:2]
    assert all(run.created == 0 and run.updated == 0 and run.unchanged > 0 for run in latest)
