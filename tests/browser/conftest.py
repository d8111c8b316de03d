"""Browser tests: Playwright (sync API) driving Debian's Chromium against the live server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent

# Playwright's sync API keeps an event loop running in this thread; the ORM calls in a test
# body are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser with `browser`; make its serialized rollback real.

    pytest-django serializes the database at set-up only for tests whose `django_db` marker
    says `serialized_rollback=True`; a marked test that gets it through the `page` fixture
    alone would find the reference geography gone after the first test's flush.
    """
    for item in items:
        if HERE not in item.path.resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        marker = item.get_closest_marker("django_db")
        if (
            marker is not None
            and "django_db_serialized_rollback" in getattr(item, "fixturenames", ())
            and not marker.kwargs.get("serialized_rollback")
        ):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, one per test module: its event loop must not outlive the module."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps`", pytrace=False)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django keeps connections per event loop context while a loop runs in the thread: hand it
    # the thread's own, or the test body gets fresh ones, outside the test's database set-up.
    own = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in own.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any, django_db_serialized_rollback: None) -> Iterator[Any]:
    """A fresh Dutch-speaking page whose relative URLs go to the live server.

    The live server needs a transactional database, which empties the tables after each test;
    serialized rollback puts back what the migrations loaded (the reference geography).
    """
    context = browser.new_context(locale="nl-BE", base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_for(page: Any, live_server: Any, client_for: Callable[..., Any]) -> Callable[..., Any]:
    """login(role_or_user, **memberships) -> the page, logged in through a session cookie."""
    from django.conf import settings

    def login(role_or_user: Any, **memberships: Any) -> Any:
        client = client_for(role_or_user, **memberships)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        page.user = client.user
        return page

    return login
