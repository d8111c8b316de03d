"""Connectivity in a browser: a school composes a line, its provider delivers and confirms it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.registry.flemish_rows import row, write

from ictmonitor.connectivity.models import Provider, Request
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ("provider;contract_id;schoolnummer;intern_vplnummer;offer;download_mbps;upload_mbps;"
          "modules;requested_on;started_on;ended_on")


@pytest.fixture
def school(tmp_path: Path) -> Institution:
    """School 1001 with two locations, imported from a school list like the department's."""
    write(tmp_path / "schools.csv", [
        row(naam="GO! De Twee Torens"),
        row(intern_vplnummer="2", hoofdzetel="False", naam="GO! De Twee Torens bijhuis"),
    ])
    import_school_list(tmp_path / "schools.csv", actor="test")
    return Institution.objects.get(number="1001")


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: $ICTMONITOR_SCREENSHOTS to keep them, else a temporary folder."""
    folder = Path(os.environ.get("ICTMONITOR_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def total(page: Page) -> Any:
    """The configurator's monthly total."""
    return page.locator("#total")


def test_a_school_composes_a_line_and_its_provider_confirms_it(
    page_for: Callable[..., Page], user_factory: Callable[..., Any], school: Institution,
    tmp_path: Path, screenshots: Path,
) -> None:
    coordinator = user_factory("coordinator", institutions=[school])
    page = page_for(coordinator)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)

    page.goto(f"/connectivity/school/{school.number}/configure/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stel uw verbinding samen")
    # The 2023 fibre catalogue's prices, without VAT.
    expect(total(page)).to_have_text("€ 79,00")  # Proximus, internet only, 500/500 Mbps
    expect(page.get_by_label("Firewall", exact=True)).to_be_disabled()

    page.get_by_label("Telenet", exact=True).check()
    expect(total(page)).to_have_text("€ 26,00")  # the 500/500 Mbps kept
    page.get_by_label("SchoolNet+", exact=True).check()  # the programme's name at Telenet
    expect(total(page)).to_have_text("€ 44,00")
    page.get_by_label("Bandbreedte").select_option("200")
    expect(total(page)).to_have_text("€ 32,00")
    page.get_by_label("Bandbreedte").select_option("500")
    expect(total(page)).to_have_text("€ 44,00")
    page.get_by_label("Firewall", exact=True).check()
    expect(total(page)).to_have_text("€ 54,00")
    page.get_by_label("Krachtige wifi", exact=True).check()
    expect(total(page)).to_have_text("—")  # priced per access point: how many?
    page.get_by_label("Wifi-toegangspunten").fill("4")
    page.get_by_label("Wifi-toegangspunten").dispatch_event("change")
    expect(total(page)).to_have_text("€ 68,40")
    expect(page.locator("#monthly-vat")).to_have_text("€ 82,76")
    expect(page.locator("#one-off")).to_have_text("€ 150,00")
    risks = page.locator(".risks")
    expect(risks).to_contain_text("Back-uplijn")
    expect(risks).not_to_contain_text("Firewall")
    # caret="initial": Playwright's caret-hiding style would be refused by the page's CSP and
    # counted here as the page's own.
    page.screenshot(path=str(screenshots / "configurator.png"), full_page=True, caret="initial")
    page.set_viewport_size({"width": 420, "height": 900})
    page.screenshot(path=str(screenshots / "configurator-narrow.png"), full_page=True,
                    caret="initial")
    page.set_viewport_size({"width": 1280, "height": 720})

    # A paid line is checked on its own page first (issue 17 item 5): nothing is sent yet.
    page.get_by_role("button", name="Aanvraag nakijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk uw aanvraag na")
    expect(page.locator("dl.review")).to_contain_text("Firewall, Krachtige wifi")
    assert not Request.objects.exists()
    page.get_by_role("button", name="Aanvraag versturen").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Connectiviteit van GO! De Twee Torens")
    requests = page.get_by_role("table", name="Aangevraagde lijnen, nieuwste eerst")
    expect(requests).to_contain_text("ingediend")
    expect(requests).to_contain_text("Firewall, Krachtige wifi")
    assert blocked == [], blocked

    provider = user_factory("provider", provider=Provider.objects.get(code="telenet"))
    page = page_for(provider)
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Aanvragen van scholen").click()
    waiting = page.get_by_role("table", name="Aanvragen die op een lijn wachten, oudste eerst")
    expect(waiting.locator("tbody tr")).to_have_count(1)
    expect(waiting).to_contain_text("GO! De Twee Torens")
    expect(waiting).to_contain_text("€ 68,40")

    feed = tmp_path / "telenet-feed.csv"
    feed.write_text(f"{HEADER}\ntelenet;T-1;1001;1;managed;500;500;firewall|wifi;"
                    f"2025-01-10;2025-02-01;\n", encoding="utf-8")
    page.get_by_role("link", name="Feed opladen").first.click()
    page.get_by_label("Feedbestand").set_input_files(str(feed))
    page.get_by_role("button", name="De feed inlezen").click()
    job = page.locator("#job-progress")  # the job's page (the tests run a job at once)
    expect(job.locator("dt:text-is('Aanvragen bevestigd') + dd")).to_have_text("1")
    assert Request.objects.get().status == Request.Status.CONFIRMED

    page = page_for(coordinator)
    page.goto(f"/connectivity/school/{school.number}/")
    active = page.get_by_role("table", name="Actieve lijnen bij GO! De Twee Torens")
    expect(active).to_contain_text("T-1")
    expect(active).to_contain_text("Firewall, Krachtige wifi")
    expect(page.get_by_role("table", name="Aangevraagde lijnen, nieuwste eerst")).to_contain_text(
        "bevestigd door de provider")
