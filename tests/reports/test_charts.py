"""The chart of a report: one Vega-Lite spec for the page, and its SVG for paper."""

from __future__ import annotations

import dataclasses
import json

from ictmonitor.reports.charts import chart_spec, chart_svg
from tests.reports import VOUCHERS, result, vouchers


def with_measures(*codes: str):
    """The voucher report with its measures in another order (the first is charted)."""
    return dataclasses.replace(VOUCHERS, measures=tuple(VOUCHERS.measure(c) for c in codes))


def test_the_spec_is_vega_lite_with_its_data_inline():
    spec = chart_spec(vouchers())
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["mark"]["type"] == "bar"
    assert [v["category"] for v in spec["data"]["values"]] == [
        "Antwerpen", "Limburg", "Oost-Vlaanderen", "West-Vlaanderen"]
    assert '"url"' not in json.dumps(spec)  # nothing to fetch


def test_the_chart_speaks_the_language_of_the_result():
    dutch, english = chart_spec(vouchers()), chart_spec(vouchers(language="en"))
    assert dutch["title"]["text"] == "Aangevraagd per provincie"
    assert english["title"]["text"] == "Requested by province"
    assert dutch["config"]["locale"]["number"]["decimal"] == ","
    assert english["encoding"]["x"]["title"] == "Requested"


def test_suppressed_cells_are_left_out_of_the_chart():
    report = with_measures("activated", "requested")
    spec = chart_spec(result(vouchers().rows, {}, report=report, public=True))
    assert [v["category"] for v in spec["data"]["values"]] == ["Antwerpen", "West-Vlaanderen"]


def test_rates_are_charted_as_percentages():
    report = with_measures("activation_rate", "requested", "activated")
    spec = chart_spec(result(vouchers().rows, {}, report=report))
    assert spec["encoding"]["x"]["axis"]["format"] == ".0%"
    assert {v["text"] for v in spec["data"]["values"]} == {"80,0%", "50,0%"}


def two_dimensions(report=VOUCHERS):
    rows = [{"province": p, "level": lv, "requested": 100 + i, "activated": 50,
             "activation_rate": 50 / (100 + i)}
            for i, (p, lv) in enumerate((p, lv) for p in ("antwerpen", "limburg")
                                         for lv in ("basis", "secundair"))]
    labels = {"province": {"antwerpen": "Antwerpen", "limburg": "Limburg"},
              "level": {"basis": "basisonderwijs", "secundair": "secundair onderwijs"}}
    return result(rows, {}, by=("province", "level"), labels=labels, report=report)


def test_a_second_dimension_colours_stacked_counts():
    spec = chart_spec(two_dimensions())
    assert spec["encoding"]["color"]["field"] == "group"
    assert spec["encoding"]["color"]["sort"] == ["basisonderwijs", "secundair onderwijs"]
    assert "yOffset" not in spec["encoding"] and "xOffset" not in spec["encoding"]


def test_a_second_dimension_groups_rates_side_by_side():
    spec = chart_spec(two_dimensions(with_measures("activation_rate", "requested")))
    offset = spec["encoding"].get("yOffset") or spec["encoding"].get("xOffset")
    assert offset["field"] == "group"


def test_months_are_a_line():
    rows = [{"month": f"2020-{m:02d}", "requested": 10 * m} for m in range(1, 13)]
    spec = chart_spec(result(rows, {}, by=("month",),
                             labels={"month": {r["month"]: r["month"] for r in rows}}))
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["x"]["sort"][:2] == ["2020-01", "2020-02"]


def test_a_chart_over_years_or_months_shows_every_one_of_the_range():
    rows = [{"year": y, "requested": 10} for y in ("2016", "2019", "2025")]
    spec = chart_spec(result(rows, {}, by=("year",),
                             labels={"year": {r["year"]: r["year"] for r in rows}}))
    years = [str(y) for y in range(2016, 2026)]  # 2016 and 2025 are not adjacent
    assert spec["encoding"]["x"]["sort"] == years
    assert spec["encoding"]["x"]["scale"]["domain"] == years
    months = [{"month": m, "requested": 10} for m in ("2019-11", "2020-02")]
    spec = chart_spec(result(months, {}, by=("month",),
                             labels={"month": {r["month"]: r["month"] for r in months}}))
    assert spec["encoding"]["x"]["scale"]["domain"] == ["2019-11", "2019-12", "2020-01",
                                                        "2020-02"]


def test_schools_show_the_forty_largest_with_their_names():
    rows = [{"school": str(100000 + i), "requested": i} for i in range(300)]
    labels = {"school": {r["school"]: f"School {i}" for i, r in enumerate(rows)}}
    spec = chart_spec(result(rows, {}, by=("school",), labels=labels))
    names = [v["category"] for v in spec["data"]["values"]]
    assert len(names) == 40
    assert spec["encoding"]["y"]["sort"][:2] == ["School 299", "School 298"]
    assert spec["title"]["subtitle"] == "De 40 hoogste van 300"


def test_two_schools_with_the_same_name_stay_apart():
    rows = [{"school": "100001", "requested": 5}, {"school": "100002", "requested": 7}]
    labels = {"school": {"100001": "Sint-Jan", "100002": "Sint-Jan"}}
    spec = chart_spec(result(rows, {}, by=("school",), labels=labels))
    assert {v["category"] for v in spec["data"]["values"]} == {"Sint-Jan (100001)",
                                                                "Sint-Jan (100002)"}


def test_the_spec_is_the_same_every_time():
    assert json.dumps(chart_spec(vouchers())) == json.dumps(chart_spec(vouchers()))


def test_totals_alone_have_no_chart():
    assert chart_spec(result([], {"requested": 5}, by=())) is None
    assert chart_svg(result([], {"requested": 5}, by=())) == ""


def test_the_svg_has_the_labels_in_dejavu_with_dutch_numbers():
    svg = chart_svg(vouchers())
    assert svg.lstrip().startswith("<svg")
    assert "Oost-Vlaanderen" in svg
    assert "DejaVu Sans" in svg
    assert ">1.000<" in svg
