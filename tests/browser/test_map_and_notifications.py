"""The map of schools and the notifications pages in a browser: axe-core (WCAG 2.1 A and AA)
finds no violation at a desktop width and a phone's, nothing scrolls sideways on the phone,
and the map's table, the one way to read it without sight, is reached by keyboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page
from tests.registry.flemish_rows import row, write

from ictmonitor.assessment.models import Label
from ictmonitor.core.recording import stamp
from ictmonitor.notifications.services import run_daily
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution
from ictmonitor.reports.releases import publish_release

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def schools(tmp_path: Path) -> Institution:
    """Twenty schools across Flanders, one with a label that runs out in 30 days."""
    write(tmp_path / "schools.csv", [
        row(schoolnummer=str(100 + i), naam=f"Basisschool {i}", lx=str(30000 + 11000 * i),
            ly=str(160000 + 3000 * (i % 7))) for i in range(20)])
    import_school_list(tmp_path / "schools.csv", actor="t")
    school = Institution.objects.get(number="100")
    today = timezone.localdate()
    Label.objects.create(institution=school, level="gold", awarded_on=today - timedelta(days=700),
                         valid_until=today + timedelta(days=30),
                         **stamp("t", timezone.now(), created=True))
    publish_release(today - timedelta(days=1), by="t")
    return school


def check(page: Page, address: str) -> list[str]:
    problems = []
    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto(address)
        results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a",
                                                       "wcag21aa"]})
        if results.violations_count:
            problems.append(f"{width} {address}: {results.generate_report()}")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if width == "phone" and overflow > 0:
            problems.append(f"phone {address}: scrolls sideways by {overflow} px")
    return problems


def test_the_maps_pass_axe_and_fit_a_phone(page_for: Callable[..., Any], page: Page,
                                           schools: Institution) -> None:
    problems = check(page, "/public/map/?status=label")
    page.set_viewport_size(DESKTOP)
    page.goto("/public/map/")
    assert page.locator("svg.school-map path[stroke-linecap=round]").count() >= 1
    page_for("analyst")
    for status in ("offer", "label", "quality"):
        problems += check(page, f"/reports/map/?status={status}")
    assert not problems, "\n".join(problems)
    # The table is a focusable region: a keyboard user scrolls it.
    page.locator(".table-scroll").first.focus()
    assert page.evaluate("() => document.activeElement.classList.contains('table-scroll')")


def test_the_notifications_pages_pass_axe_and_fit_a_phone(page_for: Callable[..., Any],
                                                          page: Page,
                                                          schools: Institution) -> None:
    page_for("coordinator", institutions=[schools])
    run_daily()
    problems = check(page, "/notifications/") + check(page, "/notifications/preferences/")
    assert not problems, "\n".join(problems)
    page.goto("/notifications/")
    assert page.locator(".badge").first.inner_text().strip() != ""
