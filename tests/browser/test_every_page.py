"""Every page of every role, on the small national demo, at a desktop width and a phone's:
axe-core finds no serious or critical violation, and on the phone (390 px) no page scrolls
sideways and the header, its menu folded, stays short.

Each role starts from the home page and follows the links it is shown (the menu, then the
pages' own links) breadth first, up to PAGES_PER_ROLE pages, one page per kind of address (a
link that differs only in a number is the same page). Every problem found is listed at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page

from ictmonitor.demo.users import create_demo_users

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("coordinator", "board", "provider", "analyst", "admin")
PUBLIC_ROLE = "public"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PHONE_HEADER_MAX = 100  # px, the menu folded
# The first pages of each kind from home, breadth first (the menu's and their own links): as
# many as the suite's 15 minutes allow on two databases; bench/every_page.py walks further.
PAGES_PER_ROLE = 16
PUBLIC_PAGES = "/public/"
BLOCKING = {"serious", "critical"}
# Addresses that are not pages to read: files, the admin (Django's own), logging out.
SKIPPED = re.compile(r"^/(static|admin|api)/|/download\.|\.(csv|xlsx|pdf|json|zip|odt|docx)(\?|$)|"
                     r"/logout/|/speedtest/|format=|download=")


@pytest.fixture
def on_sqlite(request: pytest.FixtureRequest) -> None:
    """Skip, before the demo is loaded, on PostgreSQL."""
    if request.config.getoption("postgresql"):
        pytest.skip("the pages' HTML is the same on both databases: walked on SQLite")


@pytest.fixture
def demo(tmp_path: Path) -> dict[str, str]:
    """The national demo at a small scale; each role's user name and password."""
    call_command("demo", scale=0.005, no_serve=True, output=tmp_path, verbosity=0)
    return {login.role: login.password for login in create_demo_users()}


def log_in(page: Page, username: str, password: str) -> None:
    """Log in through the login page, as a person would."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def kind_of(path: str) -> str:
    """A page's kind: its path with every number and code-like segment made alike."""
    return re.sub(r"/[0-9][^/]*", "/N", path)


def links_on(page: Page) -> list[str]:
    """The same-site page addresses the page links to, in order."""
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    origin = urlsplit(page.url)
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc != origin.netloc:
            continue
        address = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIPPED.search(address):
            found.append(address)
    return found


def crawl(page: Page, role: str) -> Iterator[str]:
    """The pages a user reaches from home, one per kind, breadth first (the public pages are
    the public's: a signed-in role spends its pages on its own)."""
    queue, seen = ["/"], set()
    while queue and len(seen) < PAGES_PER_ROLE:
        address = queue.pop(0)
        kind = kind_of(urlsplit(address).path) + ("?" if "?" in address else "")
        if kind in seen or (role != PUBLIC_ROLE and address.startswith(PUBLIC_PAGES)):
            continue
        response = page.goto(address)
        if response is None or response.status != 200:
            continue
        seen.add(kind)
        yield address
        queue.extend(links_on(page))


def problems_on(page: Page, address: str, width: str) -> list[str]:
    """What axe-core (serious, critical) and the phone's layout find wrong on this page."""
    found = []
    results = Axe().run(page).response
    for violation in results["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{width} {address}: axe {violation['id']} ({violation['impact']}) "
                         f"on {targets}")
    if width == "phone":
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                    .filter(e => !e.parentElement.closest('.table-scroll, .chart'))
                    .slice(-3).map(e => e.tagName + '.' + e.className)""")
            found.append(f"phone {address}: scrolls sideways by {overflow} px ({wide})")
        header = page.evaluate(
            "() => document.querySelector('.site-header')?.offsetHeight ?? 0")
        if header > PHONE_HEADER_MAX:
            found.append(f"phone {address}: header {header} px tall")
    return found


def check_role(page: Page, role: str, demo: dict[str, str]) -> tuple[list[str], list[str]]:
    """Crawl as the role at the desktop width, then check each page found at both widths."""
    page.set_viewport_size(DESKTOP)
    if role != PUBLIC_ROLE:
        log_in(page, role, demo[role])
    addresses = list(crawl(page, role))
    problems = []
    for address in addresses:
        for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(address)
            problems += problems_on(page, address, width)
    return addresses, problems


def test_every_page_of_every_role_passes_axe_and_fits_a_phone(on_sqlite: None, page: Page,
                                                             demo: dict[str, str]) -> None:
    """The public, then each role in turn on one demo (loading it took most of a role's time
    when each had a test of its own), signed out between; every problem of every role at once.

    On SQLite only: axe-core and the phone's layout read the pages' HTML, which is the same on
    both databases, and the walk is the suite's longest test; that every page answers each role
    on PostgreSQL too is tests/test_access_rules.py's walk, run on both."""
    reached, problems = {}, []
    for role in (PUBLIC_ROLE, *ROLES):
        page.context.clear_cookies()
        addresses, found = check_role(page, role, demo)
        reached[role] = addresses
        problems += [f"{role}: {problem}" for problem in found]
    too_few = {role: addresses for role, addresses in reached.items() if len(addresses) < 3}
    assert not too_few, f"roles that reached fewer than 3 pages: {too_few}"
    assert not problems, f"{sum(map(len, reached.values()))} pages:\n" + "\n".join(problems)


def test_the_phone_menu_folds_and_opens_by_keyboard(page_for: Callable[..., Page]) -> None:
    page = page_for("analyst")
    page.set_viewport_size(PHONE)
    page.goto("/home/")
    toggle = page.locator(".menu-toggle")
    menu = page.get_by_role("navigation").first
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert page.evaluate("() => document.querySelector('.site-header').offsetHeight") \
        <= PHONE_HEADER_MAX
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    page.set_viewport_size(DESKTOP)
    assert menu.is_visible() and not toggle.is_visible()


def test_a_refused_form_moves_the_focus_to_its_error_summary(page: Page) -> None:
    log_in(page, "analyst", "not-the-password")
    summary = page.locator("main .error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
