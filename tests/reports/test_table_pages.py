"""A long report table on screen is searchable and paginated (issue 17 item 5: school-modules
lists every school); the totals stay those of every row, and files keep every row."""

from __future__ import annotations

import pytest

from ictmonitor.reports.templatetags import report_tables
from tests.reports.test_pages import analyst, data, report_url, row_headers  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_table_is_paged_and_searched_with_the_totals_of_every_row(analyst, data,  # noqa: F811
                                                                       monkeypatch):
    monkeypatch.setattr(report_tables, "TABLE_PAGE_ROWS", 2)
    url = report_url("schools") + "?by=province"
    first = analyst.get(url).content.decode()
    assert len(row_headers(first)) == 2 + 1  # and the total
    assert "Pagina 1 van 2" in first and "table_page=2" in first
    second = analyst.get(url + "&table_page=2").content.decode()
    assert len(row_headers(second)) == 1 + 1
    assert "table_page=1" in second and "by=province" in second  # the breakdown is kept
    found = analyst.get(url + "&table_search=LIMB").content.decode()
    assert row_headers(found) == ["Limburg", "Totaal"]
    assert "1 rij bevat “LIMB”." in found
    assert found.count('class="total"') == 1 and ">4<" in found.split('class="total"')[1]
    beyond = analyst.get(url + "&table_page=99").content.decode()
    assert "Pagina 2 van 2" in beyond
    csv = analyst.get(report_url("schools").rstrip("/") + "/download.csv?by=province")
    assert csv.status_code == 200 and csv.content.decode("utf-8-sig").count("\n") >= 4


def test_a_short_table_has_no_search_or_pages(analyst, data):  # noqa: F811
    page = analyst.get(report_url("schools") + "?by=province").content.decode()
    assert 'name="table_search"' not in page and "table_page=" not in page
