"""Each role logs in through the login page and lands on its own home with its figures; the
board asks "which of my schools has no firewall and no label" in one filter; axe-core finds
no serious or critical violation on any home at a desktop width or a phone's, and at 390 px no
home scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from tests.conftest import PASSWORD
from tests.home import builders as make
from tests.home.test_homes import AREAS

from ictmonitor.connectivity.models import Provider, Request

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
BLOCKING = {"serious", "critical"}
# The elements that reach past the phone's width (outside a scrolling region), to name them.
WIDER = """[...document.querySelectorAll('body *')].filter(e => {
  const r = e.getBoundingClientRect();
  return r.right > 391 && !e.closest('.table-scroll');
}).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(
  e.getBoundingClientRect().right))"""


@pytest.fixture
def schools() -> dict[str, Any]:
    """Board B1's schools: Atheneum with a firewall and a silver label, De Beuk with a line but
    no firewall, College without a line, De Duinen with a firewall; only Atheneum is labelled."""
    b1 = make.board("B1")
    a = make.school("1001", "Atheneum", of=b1)
    b = make.school("1002", "Basisschool De Beuk", of=b1)
    c = make.school("1003", "College", of=b1)
    d = make.school("1004", "De Duinen", of=b1)
    line_a = make.line(a, "firewall", "wifi", down=1000, up=100)
    make.line(b, "wifi", down=50, up=5)
    make.line(d, "firewall")
    make.labelled(a, "silver")
    make.assessed(a, dict.fromkeys(AREAS, 80.0), done=3, focus_open=2)
    make.measured(line_a, [500.0] * 5 + [700.0] + [900.0] * 5)
    Request.objects.create(location=c.locations.get(), provider_id="telenet",
                           offer_id="managed", download_mbps=300, upload_mbps=30, monthly_eur=80)
    return {"board": b1, "a": a, "b": b, "c": c, "d": d}


def log_in(page: Page, username: str) -> None:
    """Log in through the login page, as a person would."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def no_blocking_violations(page: Page) -> None:
    """axe-core finds no serious or critical violation, at a desktop width and a phone's, and
    the phone's page does not scroll sideways."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        results = Axe().run(page)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
        assert not blocking, results.generate_report()
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], f"{page.url} is {wide} px wide at 390 px: " + ", ".join(
        page.evaluate(WIDER))
    page.set_viewport_size(DESKTOP)


def test_a_coordinator_lands_on_its_school_and_sees_what_to_do_first(
        page: Page, user_factory: Callable[..., Any], schools: dict[str, Any]) -> None:
    user = user_factory("coordinator", institutions=[schools["a"]])
    log_in(page, user.username)
    assert page.url.endswith("/home/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Atheneum")
    steps = page.get_by_role("region", name="Wat u nu doet")
    expect(steps.get_by_role("listitem").first).to_contain_text(
        "1 lijn werd gemeten onder 80 procent")
    expect(steps).to_contain_text("2 focusacties van uw plan staan nog open")
    expect(page.get_by_role("region", name="Online veiligheid")).to_contain_text("Zilver")
    expect(page.get_by_role("region", name="Internetlijnen")).to_contain_text("Gemeten: 700 Mbps")
    expect(page.get_by_role("link", name="Connectiviteit", exact=True)).to_have_attribute(
        "href", "/connectivity/school/1001/")
    no_blocking_violations(page)


def test_a_board_asks_which_schools_have_no_firewall_and_no_label_in_one_filter(
        page: Page, user_factory: Callable[..., Any], schools: dict[str, Any]) -> None:
    user = user_factory("board", boards=[schools["board"]])
    log_in(page, user.username)
    assert page.url.endswith("/home/")
    expect(page.locator(".summary")).to_contain_text("4 scholen")
    expect(page.locator(".summary")).to_contain_text("1 zonder actieve lijn")
    expect(page.locator(".summary")).to_contain_text("3 zonder label")
    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(4)
    no_blocking_violations(page)

    page.get_by_role("checkbox", name="Firewall", exact=True).check()
    page.get_by_label("Label online veiligheid").select_option("without")
    page.get_by_role("button", name="Deze scholen tonen").click()
    expect(page.locator("#result-count")).to_contain_text("2 van 4 scholen getoond")
    expect(table.locator("tbody th")).to_have_text([
        "Basisschool De Beuk 1002", "College 1003"])

    page.get_by_role("link", name="Lijn", exact=True).click()  # sort by line, slowest first
    expect(table.locator("tbody th").first).to_contain_text("College")
    expect(page.get_by_role("checkbox", name="Firewall", exact=True)).to_be_checked()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    no_blocking_violations(page)


def test_a_provider_lands_on_its_queue_and_scorecard(
        page: Page, user_factory: Callable[..., Any], schools: dict[str, Any]) -> None:
    user = user_factory("provider", provider=Provider.objects.get(code="telenet"))
    log_in(page, user.username)
    assert page.url.endswith("/home/")
    expect(page.get_by_role("region", name="Aanvragen die op u wachten")).to_contain_text(
        "College")
    scorecard = page.get_by_role("region", name="Scorekaart")
    expect(scorecard).to_contain_text("Actieve lijnen")
    expect(scorecard.locator("dd").first).to_have_text("3")
    no_blocking_violations(page)


def test_an_analyst_lands_on_the_key_figures_and_drills_down_to_a_report(
        page: Page, user_factory: Callable[..., Any], schools: dict[str, Any]) -> None:
    user = user_factory("analyst")
    log_in(page, user.username)
    assert page.url.endswith("/home/")
    line = page.locator("#figure-line")
    expect(line).to_contain_text("Scholen met een actieve internetlijn")
    expect(line).to_contain_text("75,0 %")
    expect(line).to_contain_text("3 van 4 scholen")
    expect(page.get_by_role("table")).to_contain_text("Scholen met een geldig label")
    no_blocking_violations(page)
    page.locator("#figure-label").get_by_role("link").click()
    assert "/reports/label-holders/" in page.url
