"""The registry in a real browser: logging in, finding schools, the overview, languages, a11y."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Count
from django.utils import translation
from playwright.sync_api import Page, expect

from ictmonitor.demo.generator import generate
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution, Level, Province

pytestmark = pytest.mark.django_db(transaction=True)

FINDER = "/schools/"
OVERVIEW = "/schools/overview/"
LOGIN = "/accounts/login/"


@pytest.fixture(scope="module")
def demo_schools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small national demo school list (about 40 institutions), written once per module."""
    return generate(tmp_path_factory.mktemp("demo"), scale=0.01).schools


@pytest.fixture
def registry(demo_schools: Path) -> None:
    """The demo school list, loaded through the real importer."""
    run = import_school_list(demo_schools, actor="test")
    assert run.status == run.Status.SUCCEEDED, run


def unique_number() -> Institution:
    """An institution with several locations whose number starts no other institution's number."""
    numbers = list(Institution.objects.values_list("number", flat=True))
    candidates = Institution.objects.annotate(n=Count("locations")).order_by("-n", "number")
    return next(
        i
        for i in candidates
        if sum(n.startswith(i.number) for n in numbers) == 1
        and Institution.objects.filter(name=i.name).count() == 1
    )


def log_in(page: Page, username: str, password: str) -> None:
    """Open the login page, fill its form by the labels and press its button, as a person would."""
    page.goto(LOGIN)
    submit_login(page, username, password)


def submit_login(page: Page, username: str, password: str) -> None:
    """Fill the login form on the page by its labels and press its button."""
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def menu(page: Page) -> Any:
    """The site's main menu."""
    return page.get_by_role("navigation", name="Hoofdmenu")


def results(page: Page) -> Any:
    """The body rows of the finder's result table."""
    return page.get_by_role("table", name=re.compile(r"^Scholen, pagina")).locator("tbody tr")


def test_a_coordinator_logs_in_and_finds_only_its_own_school(
    page: Page, live_server: Any, registry: None, user_factory: Callable[..., Any], password: str
) -> None:
    own = unique_number()
    other = Institution.objects.exclude(pk=own.pk).first()
    assert other is not None
    user_factory("coordinator", username="juf.an", institutions=[own])

    log_in(page, "juf.an", password)
    expect(page).to_have_url(f"{live_server.url}/home/")  # LOGIN_REDIRECT_URL: the role's home
    expect(page.get_by_text("Aangemeld als")).to_contain_text("juf.an")

    menu(page).get_by_role("link", name="Zoek een school").click()
    expect(page).to_have_url(f"{live_server.url}{FINDER}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoek een school")
    page.get_by_label("Naam of instellingsnummer").fill(own.name)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status")).to_have_text("1 school gevonden")
    expect(results(page)).to_have_count(1)

    results(page).get_by_role("link", name=own.name).click()
    expect(page).to_have_url(f"{live_server.url}{FINDER}{own.number}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(own.name)
    expect(page.get_by_role("heading", name="Vestigingsplaatsen")).to_be_visible()
    locations = page.get_by_role("table", name=f"Vestigingsplaatsen van {own.name}")
    expect(locations.locator("tbody tr")).to_have_count(own.locations.count())
    for location in own.locations.all():
        expect(locations).to_contain_text(location.street)

    answer = page.goto(f"{FINDER}{other.number}/")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    expect(page.get_by_text(other.name)).to_have_count(0)


def test_an_analyst_searches_by_keyboard_filters_and_reads_the_overview(
    page: Page, live_server: Any, registry: None, user_factory: Callable[..., Any], password: str
) -> None:
    user_factory("analyst", username="analist")
    log_in(page, "analist", password)
    page.goto(FINDER)

    # Keyboard only: Tab from the top of the page until the search field has focus.
    search = page.get_by_label("Naam of instellingsnummer")
    for _ in range(20):
        page.keyboard.press("Tab")
        if search.evaluate("field => field === document.activeElement"):
            break
    expect(search).to_be_focused()
    school = unique_number()
    page.keyboard.type(school.number)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"\?q={school.number}\b"))
    expect(results(page)).to_have_count(1)
    expect(results(page).first.get_by_role("cell").first).to_have_text(school.number)

    province = Province.objects.get(code="limburg")
    expected = Institution.objects.filter(province=province).count()
    assert expected > 0
    search.fill("")
    page.get_by_label("Provincie").select_option(label="Limburg")
    page.get_by_role("button", name="Zoeken").click()
    expect(page).to_have_url(re.compile(r"province=limburg"))
    expect(page.get_by_role("status")).to_have_text(f"{expected} scholen gevonden")
    expect(results(page)).to_have_count(expected)
    expect(results(page).locator("td:last-child")).to_have_text(["Limburg"] * expected)

    menu(page).get_by_role("link", name="Nationaal overzicht").click()
    expect(page).to_have_url(f"{live_server.url}{OVERVIEW}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nationaal overzicht")
    table = page.get_by_role("table", name="Instellingen per niveau en provincie")
    totals = table.locator("tfoot tr")
    expect(totals.locator("th")).to_have_text("Totaal")
    expect(totals.locator("td").last).to_have_text(str(Institution.objects.count()))
    # Each province's column total and each level's row total match the database too.
    headers = table.locator("thead th").all_inner_texts()[1:-1]
    footer = [int(n) for n in totals.locator("td").all_inner_texts()[:-1]]
    per_province = {
        p.name_nl: Institution.objects.filter(province=p).count() for p in Province.objects.all()
    }
    assert footer == [per_province[name] for name in headers]
    with translation.override("nl"):
        levels = {str(label): code for code, label in Level.choices}
    for row in table.locator("tbody tr").all():
        counted = Institution.objects.filter(level=levels[row.locator("th").inner_text()]).count()
        expect(row.locator("td").last).to_have_text(str(counted))


def test_the_language_switcher_turns_the_finder_english_and_back(
    page_for: Callable[..., Page], live_server: Any
) -> None:
    page = page_for("analyst")
    page.goto(FINDER)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoek een school")

    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Taal wijzigen").click()
    expect(page).to_have_url(f"{live_server.url}{FINDER}")
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a school")
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()

    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(f"{live_server.url}{FINDER}")
    expect(html).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoek een school")
    expect(page.get_by_role("button", name="Zoeken", exact=True)).to_be_visible()


@pytest.mark.axes
def test_five_wrong_passwords_lock_the_account_and_the_page_says_so(
    page: Page, user_factory: Callable[..., Any], password: str
) -> None:
    user_factory("analyst", username="juf")
    page.goto(LOGIN)
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        submit_login(page, "juf", f"wrong-{attempt}")
        # The login form comes back saying the password was wrong, not yet that it is locked.
        expect(page.get_by_role("alert")).to_contain_text("wachtwoord")
        expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        submit_login(page, "juf", "wrong-again")
    assert answer.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Te veel mislukte pogingen")
    expect(page.get_by_role("alert")).to_contain_text("Wacht 15 minuten")

    # Locked means locked: now even the right password is refused.
    log_in(page, "juf", password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Te veel mislukte pogingen")
    expect(page.get_by_text("Aangemeld als")).to_have_count(0)


def check_accessibility_basics(page: Page) -> None:
    """One h1, a name for every form control, and a skip link that moves focus to main."""
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    controls = page.locator("input:not([type=hidden]), select, textarea, button")
    assert controls.count() > 0
    for control in controls.all():
        if control.is_visible():  # the phone's menu button is hidden on a desktop
            expect(control).to_have_accessible_name(re.compile(r"\S"))
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(c => c.labels.length === 0 && !c.getAttribute('aria-labelledby'))
            .map(c => c.outerHTML)"""
    )
    assert unlabelled == []

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de hoofdinhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # a sighted keyboard user sees where focus went
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_finder_and_the_school_page_pass_basic_accessibility_checks(
    page_for: Callable[..., Page], registry: None
) -> None:
    page = page_for("analyst")
    school = unique_number()
    page.goto(f"{FINDER}?q={school.number}")
    expect(page.get_by_role("combobox", name="Provincie")).to_be_visible()
    expect(page.get_by_role("combobox", name="Onderwijsniveau")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Naam of instellingsnummer")).to_be_visible()
    expect(page.get_by_role("textbox", name="Gemeente")).to_be_visible()
    check_accessibility_basics(page)

    page.goto(f"{FINDER}{school.number}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(school.name)
    check_accessibility_basics(page)
