"""A coordinator in a real browser: from the start of the questionnaire (autosaved, resumed) to
a label, and its public verification page opened by anyone, without logging in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.assessment.test_support import import_schools

from ictmonitor.assessment.selectors import current_framework

pytestmark = pytest.mark.django_db(transaction=True)


def watch(page: Any) -> list[str]:
    """Collect script errors, CSP refusals and failed requests while the page is used."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    return problems


def test_a_coordinator_walks_from_the_questionnaire_to_a_verified_label(
        page_for: Callable[..., Any], browser: Any, live_server: Any, tmp_path: Any) -> None:
    school = import_schools(tmp_path, [("9001", "west-vlaanderen", "basis")])["9001"]
    page = page_for("coordinator", institutions=[school])
    problems = watch(page)
    fw = current_framework()

    page.goto(f"/assessment/school/{school.number}/")
    page.get_by_role("button", name="Start de vragenlijst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ICT-infrastructuur")

    # Autosave: one answer is saved as soon as it is chosen, said under that very question, and
    # the count follows.
    first = fw.areas[0].questions[0]
    page.locator(f'input[name="{first.code}"][value="2"]').check()
    expect(page.locator(f"#q-{first.code}").get_by_role("status")).to_contain_text("Bewaard om")
    expect(page.locator('[data-area-count="infrastructure"]')).to_have_text(
        f"1 van {len(fw.areas[0].questions)} beantwoord")
    page.reload()  # resume: the answer is still there
    expect(page.locator(f'input[name="{first.code}"][value="2"]')).to_be_checked()

    # A question that may not apply to the school offers "not applicable" with its condition.
    absent = next(q for q in fw.questions if q.allows_not_applicable)
    for area in fw.areas:
        for question in area.questions:
            choice = "not-applicable" if question == absent else "2"
            page.locator(f'input[name="{question.code}"][value="{choice}"]').check()
        last = area == fw.areas[-1]
        button = ("Bewaren en nakijken voor het indienen" if last
                  else "Bewaren en naar het volgende domein")
        page.get_by_role("button", name=button).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nakijken en indienen")
    expect(page.get_by_text("Elke vraag is beantwoord.")).to_be_visible()
    page.get_by_role("button", name="Dien de zelfevaluatie in").click()

    expect(page.get_by_text("Ingediend. Uw school behaalde het label brons.")).to_be_visible()
    expect(page.locator("div.chart svg").first).to_be_attached()  # Vega drew it, within the CSP
    page.get_by_role("link", name="Uw actieplan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Persoonlijk actieplan")
    actions = len(fw.questions) - 1  # none for the question that does not apply
    expect(page.get_by_text(f"0 van {actions} acties klaar")).to_be_visible()

    page.locator("nav.subnav").get_by_role("link", name="Label").click()
    verify = page.get_by_role("link", name="Openbare verificatiepagina")
    address = verify.get_attribute("href")
    assert address and "/labels/" in address
    assert not problems, problems

    anyone = browser.new_context(locale="nl-BE", base_url=live_server.url).new_page()
    anyone.goto(address)
    expect(anyone.get_by_text("Dit label is geldig.")).to_be_visible()
    expect(anyone.locator(".facts")).to_contain_text(school.name)
    expect(anyone.locator(".facts")).to_contain_text("brons")
    anyone.context.close()
