"""The report pages: the analysts' dashboard and reports, downloads, and the public site."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ictmonitor.registry.importers import import_enrolments, import_school_list
from ictmonitor.reports import views
from ictmonitor.reports.engine import catalogue
from ictmonitor.reports.exporters import FORMATS, content_type
from ictmonitor.reports.releases import publish_release
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
PUBLIC = reverse("public:index")
PUPIL_COUNTS = "schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen"


def report_url(report_id: str) -> str:
    """The analysts' page of a report."""
    return reverse("reports:report", kwargs={"report_id": report_id})


def public_url(report_id: str) -> str:
    """The public page of a report."""
    return reverse("public:report", kwargs={"report_id": report_id})


@pytest.fixture
def data(tmp_path):
    """Four schools in three provinces, with small pupil counts in three of them."""
    write(tmp_path / "schools.csv", [
        row(schoolnummer="1"),
        row(schoolnummer="2", onderwijsniveau="SO", instellingstype="School voor voltijds "
            "gewoon secundair onderwijs"),
        row(schoolnummer="3", niscode="71072", postcode="3500", provinciecode="7",
            provincie="Limburg"),
        row(schoolnummer="5", onderwijsniveau="SO", niscode="31005", postcode="8000",
            provinciecode="3", provincie="West-Vlaanderen"),
    ])
    import_school_list(tmp_path / "schools.csv", actor="t")
    counts = tmp_path / "pupils.csv"
    counts.write_text("\n".join([
        PUPIL_COUNTS, "1;1;2024-2025;lager;4", "2;1;2024-2025;secundair;250",
        "3;1;2024-2025;lager;6", "5;1;2024-2025;secundair;8",
    ]) + "\n", encoding="utf-8")
    import_enrolments(counts, actor="t")
    # The public pages serve releases only (yesterday: today's figures are not final).
    publish_release(timezone.localdate() - timedelta(days=1), by="t")


@pytest.fixture
def analyst(client_for):
    """A logged-in analyst."""
    return client_for("analyst")


def table_of(html: str) -> str:
    """The report table of a page."""
    found = re.search(r'<table class="report-table".*?</table>', html, re.S)
    assert found, "the page has no report table"
    return found.group(0)


def cells(html: str) -> list[str]:
    """The texts of the table's figures (its rows and totals)."""
    found = re.findall(r'<td class="num[^"]*">(.*?)</td>', table_of(html), re.S)
    return [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in found]


def row_headers(html: str) -> list[str]:
    """The texts of the table's row headers."""
    found = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', table_of(html), re.S)
    return [unescape(text).strip() for text in found]


def chart_spec(html: str) -> dict:
    """The Vega-Lite spec the page hands to its chart."""
    found = re.search(r'<script id="chart-spec" type="application/json">(.*?)</script>', html,
                      re.S)
    assert found, "the page has no chart spec"
    return json.loads(found.group(1))


def test_the_dashboard_lists_every_report_with_headline_figures(analyst, data):
    page = analyst.get(DASHBOARD)
    assert page.status_code == 200
    html = page.content.decode()
    for report in catalogue().values():
        assert report_url(report.id) in html
        assert report.question("nl") in html
    headline = re.findall(r'<span class="headline-value">([^<]*)</span>', html)
    assert headline == ["4", "4", "268"]  # institutions, locations, pupils in 2024-2025
    assert "2024-2025" in html


def test_a_report_page_shows_its_question_table_and_chart(analyst, data):
    page = analyst.get(report_url("schools"))
    html = page.content.decode()
    assert page.status_code == 200
    assert catalogue()["schools"].question("nl") in html
    assert row_headers(html)[:1] == ["basisonderwijs"]
    assert cells(html)[-2:] == ["4", "4"]  # the totals: institutions, locations
    spec = chart_spec(html)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert ('class="chart" data-spec-id="chart-spec" role="img" aria-label="Grafiek: '
            'Instellingen per onderwijsniveau en provincie. De tabel hieronder') in html
    assert "Uitsplitsen naar" in html  # Dutch first
    assert 'name="by" value="level" id="id_by_0" checked' in html  # the usual breakdown


@pytest.mark.parametrize("report_id", list(catalogue()))
def test_every_report_has_a_page_with_its_usual_breakdown(analyst, data, report_id):
    page = analyst.get(report_url(report_id))
    assert page.status_code == 200
    assert 'role="alert"' not in page.content.decode()
    if catalogue()[report_id].public:
        assert Client().get(public_url(report_id)).status_code == 200


def test_filtering_by_province_changes_the_table(analyst, data):
    usual = analyst.get(report_url("schools")).content.decode()
    by_province = analyst.get(report_url("schools"), {"by": "province"}).content.decode()
    assert row_headers(by_province) == ["Antwerpen", "Limburg", "West-Vlaanderen", "Totaal"]
    assert row_headers(by_province) != row_headers(usual)
    totals_only = analyst.get(report_url("schools"), {"by": ""}).content.decode()
    assert row_headers(totals_only) == ["Totaal"]
    assert 'id="chart-spec"' not in totals_only


def test_bad_filters_are_shown_as_errors(analyst, data):
    page = analyst.get(report_url("schools"), {"by": "module", "at": "yesterday"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="alert"' in html
    assert "report-table" not in html
    missing_year = analyst.get(report_url("pupils"), {"by": "level", "year": "1999"})
    assert "no pupil counts for school year 1999-2000" in missing_year.content.decode()
    url = reverse("reports:download", kwargs={"report_id": "schools", "fmt": "csv"})
    refused = analyst.get(url, {"by": "module"})
    assert refused.status_code == 400
    assert 'role="alert"' in refused.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_download_is_an_attachment_of_its_type(analyst, data, fmt):
    url = reverse("reports:download", kwargs={"report_id": "pupils", "fmt": fmt})
    answer = analyst.get(url, {"by": "province"})
    assert answer.status_code == 200
    assert answer["Content-Type"] == content_type(fmt)
    assert answer["Content-Disposition"].startswith("attachment; filename=")
    assert "pupils-by-province-" in answer["Content-Disposition"]
    assert answer["Content-Disposition"].rstrip('"').endswith(f".{fmt}")
    if fmt == "json":
        assert json.loads(answer.content)["totals"] == {"pupils": 268}


def test_download_links_keep_the_page_parameters(analyst, data):
    html = analyst.get(report_url("pupils"), {"by": "province", "public": "on"}).content.decode()
    for fmt in FORMATS:
        link = reverse("reports:download", kwargs={"report_id": "pupils", "fmt": fmt})
        assert f'href="{link}?by=province&amp;public=on"' in html


def test_a_coordinator_may_not_open_the_reports(client_for, data):
    coordinator = client_for("coordinator")
    assert coordinator.get(DASHBOARD).status_code == 403
    assert coordinator.get(report_url("schools")).status_code == 403


def test_an_unknown_report_is_not_found(analyst):
    assert analyst.get("/reports/no-such-report/").status_code == 404
    assert Client().get(public_url("no-such-report")).status_code == 404
    assert analyst.get("/reports/schools/download.doc").status_code == 404


def test_anonymous_visitors_get_the_published_reports(data):
    visitor = Client()
    index = visitor.get(PUBLIC).content.decode()
    for report in catalogue().values():
        assert (public_url(report.id) in index) == report.public
    page = visitor.get(public_url("schools"))
    assert page.status_code == 200
    assert 'name="public"' not in page.content.decode()
    csv = visitor.get(reverse("public:download", kwargs={"report_id": "pupils", "fmt": "csv"}))
    assert csv.status_code == 200
    assert csv["Content-Disposition"].startswith("attachment; filename=")
    assert "public" in csv["Content-Disposition"]


def test_a_report_not_for_the_public_is_not_on_the_public_site(data, monkeypatch):
    hidden = {**catalogue(), "schools": dataclasses.replace(catalogue()["schools"], public=False)}
    monkeypatch.setattr(views, "catalogue", lambda: hidden)
    assert Client().get(public_url("schools")).status_code == 404
    assert public_url("schools") not in Client().get(PUBLIC).content.decode()


@pytest.mark.parametrize("query", [{}, {"public": "0"}, {"public": "off", "by": "school"},
                                   {"by": "level,province"}, {"by": ""}])
def test_the_public_pupils_page_never_shows_a_count_from_1_to_9(data, query):
    html = Client().get(public_url("pupils"), query).content.decode()
    figures = cells(html)
    assert figures, "the table has figures"
    assert not [f for f in figures if re.fullmatch(r"[1-9]", f)], figures
    assert ">x</abbr>" in html and "&lt;10" not in html
    # the rule, in the footer
    assert "Aantallen leerlingen, vouchers en incidenten van 1 tot 9" in html
    if 'id="chart-spec"' in html:
        charted = [v["value"] for v in chart_spec(html)["data"]["values"]]
        assert not [v for v in charted if 1 <= v <= 9], charted


def test_the_public_pupils_download_never_holds_a_count_from_1_to_9(data):
    url = reverse("public:download", kwargs={"report_id": "pupils", "fmt": "json"})
    document = json.loads(Client().get(url, {"public": "0", "by": "school"}).content)
    assert document["parameters"]["public"] is True
    values = [r["pupils"] for r in document["rows"]]
    assert not [v for v in values if v is not None and 1 <= v <= 9], values


def test_an_analyst_sees_exact_counts_unless_asking_for_the_public_view(analyst, data):
    exact = cells(analyst.get(report_url("pupils"), {"by": "school"}).content.decode())
    assert {"4", "6", "8"} <= set(exact)
    public = analyst.get(report_url("pupils"), {"by": "school", "public": "on"}).content.decode()
    assert "x" in cells(public)
    assert not {"4", "6", "8"} & set(cells(public))


def test_the_pages_speak_english_with_the_language_cookie(analyst, data):
    analyst.cookies["django_language"] = "en"
    html = analyst.get(report_url("schools"), {"by": "province"}).content.decode()
    assert '<html lang="en">' in html
    assert catalogue()["schools"].question("en") in html
    assert "Break down by" in html
    assert row_headers(html)[-1] == "Total"
    visitor = Client()
    visitor.cookies["django_language"] = "en"
    assert "Published reports" in visitor.get(PUBLIC).content.decode()
