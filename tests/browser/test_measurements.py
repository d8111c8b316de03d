"""The measured-quality pages in a browser: a school's coordinator reads its line's months,
days and devices; axe-core (WCAG 2.1 A and AA) finds no serious or critical violation at a
desktop's width or a phone's, and on the phone the page does not scroll sideways."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.measurements.conftest import device, line, locations, school  # noqa: F401 (fixtures)
from tests.measurements.test_quality import APRIL, MARCH

from ictmonitor.measurements import alerts, ingest

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def test_the_school_page_shows_the_measured_line_and_passes_axe(
        page_for: Callable[..., Page], user_factory: Callable[..., Any], device: Any,  # noqa: F811
        line: Any) -> None:  # noqa: F811
    token, _secret = device
    today = timezone.localdate()
    recent = [today - timedelta(days=n) for n in range(1, 15)]
    ingest.ingest(token, MARCH + APRIL + [
        {"measured_at": f"{day.isoformat()}T10:00:00+01:00", "kind": "speed", "path": "primary",
         "download_mbps": 60 + 5 * n, "upload_mbps": 20} for n, day in enumerate(recent)])
    alerts.refresh()
    institution = line.location.institution
    page = page_for(user_factory("coordinator", institutions=[institution]))
    problems = []
    for address in (f"/measurements/school/{institution.number}/", "/measurements/alerts/"):
        for width, size in SIZES.items():
            page.set_viewport_size(size)
            page.goto(address)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            for violation in Axe().run(page).response["violations"]:
                if violation["impact"] in {"serious", "critical"}:
                    problems.append(f"{width} {address}: {violation['id']}")
            overflow = page.evaluate("() => document.documentElement.scrollWidth"
                                     " - document.documentElement.clientWidth")
            if overflow > 0:
                problems.append(f"{width} {address}: scrolls sideways by {overflow} px")
    assert problems == []
    page.goto(f"/measurements/school/{institution.number}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Gemeten kwaliteit van {institution.name}")
    expect(page.get_by_role("table", name="Lijn T-77 per maand")).to_contain_text("2026-03")
    expect(page.locator("figure.measured-chart rect").first).to_be_attached()
