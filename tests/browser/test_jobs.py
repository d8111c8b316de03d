"""A provider uploads a feed in the browser; the job's page shows it queued, follows it live (htmx,
no reload) while a worker (django-tasks-db) imports it, and shows the result; axe-core finds no
accessibility violation on the upload page or the job's page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from tests.browser.test_connectivity import HEADER
from tests.browser.test_connectivity import school as school  # a fixture

from ictmonitor.connectivity.models import Provider, Subscription
from ictmonitor.jobs.models import Job
from ictmonitor.registry.models import Institution

pytestmark = pytest.mark.django_db(transaction=True)

LINES = 3000


def no_violations(page: Page) -> None:
    """axe-core (WCAG 2.1 A and AA rules) finds nothing on the page."""
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()


def work() -> None:
    """A worker takes every queued job, then stops (`ictmonitor worker --batch`)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(queue_names=["default"], interval=0, batch=True, backend_name="database",
           startup_delay=False, max_tasks=None, worker_id="browser-test",
           excluded_queue_names=[]).run()


def test_a_provider_uploads_a_feed_and_watches_its_job_to_the_end(
    page_for: Callable[..., Page], user_factory: Callable[..., Any], school: Institution,
    tmp_path: Path, settings: Any,
) -> None:
    settings.JOBS_TASK_BACKEND = "database"  # queued, as in production, until a worker runs it
    provider = user_factory("provider", provider=Provider.objects.get(code="telenet"))
    page = page_for(provider)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    feed = tmp_path / "telenet-feed.csv"
    feed.write_text(HEADER + "\n" + "".join(
        f"telenet;T-{n};1001;{1 + n % 2};managed;300;30;firewall;2025-01-10;2025-02-01;\n"
        for n in range(LINES)), encoding="utf-8")

    page.goto("/connectivity/upload/")
    no_violations(page)
    page.get_by_label("Feedbestand").set_input_files(str(feed))
    page.get_by_role("button", name="De feed inlezen").click()

    job = Job.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Taak {job.pk}: telenet-feed.csv")
    bar = page.get_by_label("Voortgang")
    progress = page.locator("#job-progress")
    expect(progress).to_contain_text("In de wachtrij: wacht op een verwerker")
    expect(bar).to_have_attribute("value", "0")
    page.evaluate("window.stayed = true")  # gone if the page were loaded again

    work()

    expect(bar).to_have_attribute("value", "100", timeout=15_000)
    expect(progress).to_contain_text("telenet-feed.csv werd ingelezen.")
    expect(progress.locator("dt:text-is('Gelezen rijen') + dd")).to_have_text(f"{LINES:,}"
                                                                            .replace(",", "."))
    expect(progress.locator("dt:text-is('Nieuw') + dd")).to_have_text(f"{LINES:,}"
                                                                     .replace(",", "."))
    assert page.evaluate("window.stayed === true"), "the page was loaded again"
    assert Subscription.objects.count() == LINES
    no_violations(page)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn taken").click()
    expect(page.get_by_role("table", name="Taken, nieuwste eerst")).to_contain_text(
        "telenet-feed.csv")
    assert blocked == [], blocked


def test_a_refused_feed_s_problems_come_in_the_page_s_language_and_take_the_focus(
    page_for: Callable[..., Page], user_factory: Callable[..., Any], school: Institution,
    tmp_path: Path, settings: Any,
) -> None:
    """Issue 17 item 4: when the job ends refused, htmx brings in its problems, in Dutch, and
    the focus moves to them (static/ictmonitor/site.js)."""
    settings.JOBS_TASK_BACKEND = "database"
    provider = user_factory("provider", provider=Provider.objects.get(code="telenet"))
    page = page_for(provider)
    feed = tmp_path / "feed.csv"
    feed.write_text(HEADER + "\ntelenet;T-1;1001;1;turbo;300;30;;2025-01-10;2025-02-01;\n",
                    encoding="utf-8")
    page.goto("/connectivity/upload/")
    page.get_by_label("Feedbestand").set_input_files(str(feed))
    page.get_by_role("button", name="De feed inlezen").click()
    expect(page.locator("#job-progress")).to_contain_text("In de wachtrij")

    work()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("feed.csv:2: kolom offer: 'turbo' is niet een van",
                                    timeout=15_000)
    expect(summary).to_be_focused()
