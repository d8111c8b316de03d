"""A chart of three dimensions shows every row of the table, on the page and in the workbook."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from ictmonitor.core.translation import message as _
from ictmonitor.reports.charts import chart_spec
from ictmonitor.reports.definitions import RATE, Measure, Report
from ictmonitor.reports.exporters import export
from tests.reports import result
from tests.reports.test_connectivity_reports import lines, run  # noqa: F401 (a fixture)

ADOPTION = Report(
    id="connectivity-adoption", title=_("Use"),
    question=_("How many schools?"),
    dimensions=("offer", "level", "province", "month"),
    measures=(Measure("schools", _("schools")),
              Measure("share", _("share"), kind=RATE)),
    compute=lambda parameters: ([], {}),
)
SHARE_FIRST = Report(**{**vars(ADOPTION), "measures": tuple(reversed(ADOPTION.measures))})
LABELS = {"offer": {"schoolnet": "SchoolNet", "schoolnet-plus": "SchoolNet+"},
          "level": {"basis": "basis", "secundair": "secundair"},
          "province": {"antwerpen": "Antwerpen", "limburg": "Limburg"}}


def three_way(report: Report = ADOPTION, language: str = "nl"):
    """Schools per offer, level and province: every figure different."""
    rows = [{"offer": o, "level": lv, "province": p, "schools": 10 * n + 1,
             "share": (10 * n + 1) / 100}
            for n, (o, lv, p) in enumerate(
                (o, lv, p) for o in ("schoolnet", "schoolnet-plus")
                for lv in ("basis", "secundair") for p in ("antwerpen", "limburg"))]
    return result(rows, {"schools": 100}, by=("offer", "level", "province"), labels=LABELS,
                  report=report, language=language)


def chart_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return book.read("xl/charts/chart1.xml").decode("utf-8")


def test_the_workbooks_chart_data_holds_every_province_and_says_what_it_charts():
    data = export(three_way(), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["grafiekgegevens"]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells == [
        ["Aanbod · provincie", "basis", "secundair"],
        ["SchoolNet · Antwerpen", 1, 21],
        ["SchoolNet · Limburg", 11, 31],
        ["SchoolNet+ · Antwerpen", 41, 61],
        ["SchoolNet+ · Limburg", 51, 71],
    ]
    titles = re.findall(r"<a:t>([^<]*)</a:t>", chart_xml(data))
    assert "Scholen per aanbod, onderwijsniveau en provincie" in titles


def test_the_page_charts_every_row_once_with_the_same_title():
    spec = chart_spec(three_way(language="en"))
    points = [(v["category"], v["group"], v["value"]) for v in spec["data"]["values"]]
    assert len(points) == len(set(points)) == 8
    assert ("SchoolNet+ · Limburg", "secundair", 71) in points
    assert spec["title"]["text"] == "Schools by offer, level and province"
    assert spec["encoding"]["y"]["title"] == "Offer · province"


def test_rates_of_three_dimensions_are_bars_side_by_side_never_on_top_of_each_other():
    spec = chart_spec(three_way(SHARE_FIRST))
    categories = [v["category"] for v in spec["data"]["values"]]
    assert categories.count("SchoolNet · Limburg") == 2  # basis and secundair, side by side
    assert (spec["encoding"].get("yOffset") or spec["encoding"]["xOffset"])["field"] == "group"
    sheet = openpyxl.load_workbook(io.BytesIO(export(three_way(SHARE_FIRST), "xlsx")))[
        "grafiekgegevens"]
    assert list(sheet.iter_rows(min_row=3, max_row=3, values_only=True)) == [
        ("SchoolNet · Limburg", 0.11, 0.31)]


def test_over_time_a_line_per_combination_of_the_other_dimensions():
    rows = [{"month": m, "offer": o, "province": p, "schools": n}
            for n, (m, o, p) in enumerate((m, o, p) for m in ("2020-01", "2020-02")
                                          for o in ("schoolnet", "schoolnet-plus")
                                          for p in ("antwerpen", "limburg"))]
    labels = {**LABELS, "month": {"2020-01": "jan 2020", "2020-02": "feb 2020"}}
    answer = result(rows, {}, by=("month", "offer", "province"), labels=labels, report=ADOPTION)
    spec = chart_spec(answer)
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["color"]["sort"] == [
        "SchoolNet · Antwerpen", "SchoolNet · Limburg", "SchoolNet+ · Antwerpen",
        "SchoolNet+ · Limburg"]
    sheet = openpyxl.load_workbook(io.BytesIO(export(answer, "xlsx")))["grafiekgegevens"]
    assert list(sheet.iter_rows(values_only=True))[2] == ("feb 2020", 4, 5, 6, 7)


@pytest.mark.django_db
@pytest.mark.usefixtures("lines")
def test_adoption_by_offer_level_and_province_from_the_database_charts_every_row():
    answer = run("connectivity-adoption", "offer", "level", "province")
    sheet = openpyxl.load_workbook(io.BytesIO(export(answer, "xlsx")))["grafiekgegevens"]
    figures = [v for row in sheet.iter_rows(min_row=2, min_col=2, values_only=True)
               for v in row if v is not None]
    assert sorted(figures) == sorted(row["schools"] for row in answer.rows)
    assert len(answer.rows) == 5 and len({row["province"] for row in answer.rows}) == 4
