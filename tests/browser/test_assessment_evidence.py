"""Gold that certifies, in a real browser: a coordinator puts evidence (a text and a document)
on every critical question and submits; the result says gold awaits the reviewer; a board
member accepts the evidence question by question and the school holds gold. axe-core finds no
accessibility violation on the evidence pages or the result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Page, expect
from tests.assessment.test_support import answered, current, every, import_schools, submitted
from tests.browser.test_assessment import watch

from ictmonitor.assessment import selectors, services

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def no_violations(page: Page) -> None:
    """axe-core (WCAG 2.1 A and AA rules) finds nothing on the page."""
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()


def test_a_coordinator_brings_evidence_and_a_reviewer_accepts_it_to_gold(
        page_for: Callable[..., Page], client_for: Callable[..., Any],
        user_factory: Callable[..., Any], browser: Any, live_server: Any,
        tmp_path: Any) -> None:
    school = import_schools(tmp_path, [("9002", "west-vlaanderen", "basis")])["9002"]
    coordinator = user_factory("coordinator", institutions=[school])
    fw = current()
    # The previous cycle's plan worked through; this cycle embeds every answer.
    first = submitted(school, coordinator, every(fw, 2), when="2025-01-15")
    first.assessment.actions.update(status="done")
    draft = answered(school, coordinator, every(fw, 3))
    critical = [q for q in fw.questions if q.critical]

    page = page_for(coordinator)
    problems = watch(page)
    page.goto(f"/assessment/school/{school.number}/answers/?area=infrastructure")
    page.locator("nav.subnav").get_by_role("link", name="Bewijs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Commentaar en bewijs")
    no_violations(page)
    for question in critical:
        page.get_by_role("link", name=question.text.nl, exact=True).click()
        expect(page.get_by_role("heading", level=2, name=question.text.nl)).to_be_visible()
        page.get_by_label("Bewijs: wat het antwoord aantoont").fill(
            f"Verslag van de controle ({question.code})")
        page.get_by_label("Document", exact=True).set_input_files(
            files=[{"name": f"{question.code}.pdf", "mimeType": "application/pdf",
                    "buffer": PDF}])
        page.get_by_role("button", name="Bewaar als nieuwe versie").click()
        expect(page.get_by_text("Bewaard als nieuwe versie.")).to_be_visible()
        expect(page.locator(".versions")).to_contain_text("Wacht op nazicht")
    no_violations(page)
    # The document opens for the coordinator, as it was uploaded.
    link = page.locator(".versions a[href*='document=']").first
    answer = page.request.get(urljoin(page.url, link.get_attribute("href") or ""))
    assert answer.status == 200 and answer.body() == PDF

    page.goto(f"/assessment/school/{school.number}/submit/")
    page.get_by_role("button", name="Dien de zelfevaluatie in").click()
    expect(page.get_by_text("Ingediend. Uw school behaalde het label brons.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="wacht tot een nakijker")).to_contain_text(
        "Goud")
    no_violations(page)
    assert not problems, problems

    # A board member of the school reviews, in a browser of their own.
    board = client_for("board", boards=[school.board])
    reviewer = browser.new_context(locale="nl-BE", base_url=live_server.url)
    reviewer.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                           "value": board.cookies[settings.SESSION_COOKIE_NAME].value}])
    other = reviewer.new_page()
    seen = watch(other)
    other.goto(f"/assessment/school/{school.number}/evidence/?id={draft.pk}")
    for n, question in enumerate(critical, 1):
        other.get_by_role("link", name=question.text.nl, exact=True).click()
        if n == 1:
            no_violations(other)
        other.get_by_role("button", name="Aanvaard het bewijs").click()
        expect(other.get_by_text("Het bewijs is aanvaard.")).to_be_visible()
    expect(other.get_by_text("De school heeft nu het label goud.")).to_be_visible()
    assert not seen, seen
    reviewer.close()

    page.locator("nav.subnav").get_by_role("link", name="Label").click()
    expect(page.locator(".label-badge")).to_contain_text("Label goud")
    label = selectors.current_label(school)
    assert label is not None and label.level == "gold" and label.assessment_id == draft.pk
    assert services.may_add_evidence(draft)
