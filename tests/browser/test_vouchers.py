"""Vouchers in a real browser: a school from request to printed letters; a provider from issue
(a feed upload) to activation (a second feed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.vouchers.conftest import feed, line, load, make_open_wave, make_schools

from ictmonitor.vouchers import services
from ictmonitor.vouchers.models import Request, Voucher, Wave

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()
ISSUED = (TODAY - timedelta(days=3)).isoformat()


def codes_of(wave: Wave, *numbers: int, **values: str) -> list[str]:
    """Feed lines for Telenet codes T-n of school 1001 in the wave, issued three days ago."""
    return [line(code=f"T-{n}", wave=wave.code, requested_on=ISSUED, issued_on=ISSUED,
                 expires_on="", **values) for n in numbers]


@pytest.fixture
def schools(db: None, tmp_path: Path) -> dict[str, Any]:
    """Schools 1001, 2002 and 3003, from a school list."""
    return make_schools(tmp_path)


@pytest.fixture
def open_wave(db: None) -> Wave:
    """A wave taking requests today, with Telenet and Proximus."""
    return make_open_wave()


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF file."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: install poppler-utils", pytrace=False)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True)
    return done.stdout.decode().split("\f")[:-1]


def test_a_school_asks_for_codes_hands_them_out_and_prints_the_letters(
    page_for: Callable[..., Page], schools: dict[str, Any], open_wave: Wave, tmp_path: Path
) -> None:
    school = schools["1001"]
    page = page_for("coordinator", institutions=[school])
    page.goto("/vouchers/")
    page.get_by_role("link", name=re.compile(school.name)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Vouchers van {school.name}")

    page.get_by_label("Ronde").select_option(label="Nu")
    page.get_by_label("Leerlingen zonder internet thuis").fill("2")
    page.get_by_role("button", name="Codes aanvragen").click()
    expect(page.get_by_role("status")).to_contain_text("U vroeg codes aan voor 2 leerlingen")
    requests = page.get_by_role("table", name="Aangevraagde codes, per ronde")
    expect(requests.locator("tbody tr td")).to_have_text(["Nu", "2", "0",
                                                          "wacht op toewijzing"])

    # The department allocates the request; Telenet issues the codes in its feed.
    request = Request.objects.get(institution=school)
    services.allocate(request, {"telenet": 2}, by="analyst")
    load(tmp_path, *codes_of(open_wave, 1, 2))
    page.reload()
    codes = page.get_by_role("table", name=re.compile("Codes van deze school"))
    expect(codes.locator("tbody tr")).to_have_count(2)

    for code, ref in (("T-1", "3A-07"), ("T-2", "3A-08")):
        row = codes.get_by_role("row", name=re.compile(code))
        row.get_by_label("Referentie van de leerling").fill(ref)
        row.get_by_role("button", name="Overhandigen").click()
        expect(page.get_by_role("status")).to_contain_text(f"Code {code} werd overhandigd")
    expect(codes.get_by_role("row", name=re.compile("T-2"))).to_contain_text("overhandigd")

    with page.expect_download() as download:
        page.get_by_role("button", name="Brieven afdrukken").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith(f"vouchers-{school.number}-") and saved.suffix == ".pdf"
    pages = pdf_pages(saved)
    assert len(pages) == 2
    assert "T-1" in pages[0] and "3A-07" in pages[0] and "Zo activeert u de code" in pages[0]
    assert "T-2" in pages[1] and "Telenet" in pages[1]
    assert Voucher.objects.filter(handed_out_at__isnull=False).count() == 2


def test_a_provider_issues_codes_by_feed_and_reports_their_activation(
    page_for: Callable[..., Page], schools: dict[str, Any], open_wave: Wave, provider: Any,
    tmp_path: Path
) -> None:
    request = services.request_vouchers(open_wave, 3, by="t", institution=schools["1001"])
    services.allocate(request, {"telenet": 3}, by="analyst")
    page = page_for("provider", provider=provider)
    page.goto("/vouchers/provider/")
    allocations = page.get_by_role("table", name=re.compile("Toewijzingen"))
    expect(allocations.locator("tbody td.count")).to_have_text(["3", "0", "0"])

    page.get_by_role("link", name="Een voucherfeed opladen").click()
    page.get_by_label("Voucherfeed (CSV)").set_input_files(
        feed(tmp_path, *codes_of(open_wave, 1, 2, 3), name="issued.csv"))
    page.get_by_role("button", name="De feed inlezen").click()
    job = page.locator("#job-progress")  # the job's page (the tests run a job at once)
    expect(job).to_contain_text("issued.csv werd ingelezen.")
    expect(job.locator("dt:text-is('Nieuw') + dd")).to_have_text("3")

    page.goto("/vouchers/upload/")

    activated = codes_of(open_wave, 1, 2, activated_on=TODAY.isoformat(),
                         last_used_on=TODAY.isoformat()) + codes_of(open_wave, 3)
    page.get_by_label("Voucherfeed (CSV)").set_input_files(
        feed(tmp_path, *activated, name="activated.csv"))
    page.get_by_role("button", name="De feed inlezen").click()
    expect(job.locator("dt:text-is('Gewijzigd') + dd")).to_have_text("2")
    expect(job.locator("dt:text-is('Ongewijzigd') + dd")).to_have_text("1")

    page.goto("/vouchers/provider/")
    expect(allocations.locator("tbody td.count")).to_have_text(["3", "3", "2"])
    waves = page.get_by_role("table", name="Uw codes per ronde")
    expect(waves.locator("tbody tr > *")).to_have_text(["Nu", "3", "3", "2", "66,7%"])  # its name

    bad = feed(tmp_path, *codes_of(open_wave, 4, pupil_ref="85.07.30-033.28"), name="bad.csv")
    page.goto("/vouchers/upload/")
    page.get_by_label("Voucherfeed (CSV)").set_input_files(bad)
    page.get_by_role("button", name="De feed inlezen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("bad.csv werd geweigerd")
    expect(alert).to_contain_text(  # in the page's language (issue 17 item 4)
        "bad.csv:2: kolom pupil_ref: lijkt op een Belgisch rijksregisternummer")
    assert not Voucher.objects.filter(code="T-4").exists()
