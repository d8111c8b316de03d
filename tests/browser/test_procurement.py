"""The tariff simulator in a real browser: htmx recalculates as an input changes, within the CSP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SIMULATOR = "/procurement/"


def test_changing_the_members_of_year_one_moves_its_tariff(page_for: Callable[..., Any]) -> None:
    page = page_for("board")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.goto(SIMULATOR)
    tariff = page.locator("#tariff_per_school-1")
    expect(tariff).to_have_text("€\u00a019.300,00")
    # The new tariff is said where the inputs are, in one live region that stays (issue 17).
    summary = page.get_by_role("status").filter(has_text="Tarief per school")
    expect(summary).to_contain_text("19.300,00")
    assert page.evaluate("document.getElementById('tariff-summary').getBoundingClientRect().top"
                         " < document.getElementById('results').getBoundingClientRect().top")

    page.get_by_label("Lidscholen 2018", exact=True).fill("1000")
    page.get_by_label("Lidscholen 2018", exact=True).press("Tab")
    expect(tariff).to_have_text("€\u00a010.300,00")
    expect(summary).to_contain_text("10.300,00")
    expect(page.locator("#tariff-summary")).to_have_count(1)
    expect(page.get_by_label("Lidscholen 2018", exact=True)).to_have_value("1000")
    assert page.evaluate("window.htmx && window.htmx.config.includeIndicatorStyles") is False
    assert not problems, problems  # no CSP refusals, no script errors


def test_without_javascript_the_button_recalculates(browser: Any, live_server: Any,
                                                    client_for: Callable[..., Any],
                                                    django_db_serialized_rollback: None) -> None:
    from django.conf import settings

    context = browser.new_context(locale="nl-BE", base_url=live_server.url,
                                  java_script_enabled=False)
    client = client_for("analyst")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.goto(SIMULATOR)
    page.get_by_label("Lidscholen 2018", exact=True).fill("250")
    page.get_by_role("button", name="Herberekenen").click()
    expect(page.locator("#tariff_per_school-1")).to_have_text("€\u00a037.300,00")
    context.close()
