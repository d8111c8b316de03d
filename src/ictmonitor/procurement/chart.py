"""The simulator's chart: the tariff per school each year against a consumer connection, the
flat tariff and the target when one is set, as a Vega-Lite spec turned into SVG on the server
(the same on the page and in the PDF, with or without JavaScript)."""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Sequence
from typing import Any

import altair as alt
import vl_convert

from ictmonitor.core.charts import CHART_FONT
from ictmonitor.procurement.model import Scenario, YearTariff, flat_tariff

LOCALES = {  # as the report charts write numbers
    "nl": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}
COLOURS = ("#1d4f7c", "#7a9cc0", "#555d66", "#2e7d32", "#b35c00")
DASHES = ([1, 0], [1, 0], [6, 4], [8, 3, 2, 3], [2, 3])
WIDTH, HEIGHT = 640, 300


def chart_svg(scenario: Scenario, years: Sequence[YearTariff], words: dict[str, str],
              language: str) -> str:
    """The chart as an SVG document; `words` gives its title and the series' names."""
    targeted = scenario.target_tariff is not None
    series = [words["tariff"], words["rural"], words["consumer"], words["flat"]]
    series += [words["target"]] if targeted else []
    flat = flat_tariff(years)
    values: list[dict[str, Any]] = []
    for y in years:
        amounts = [y.tariff_per_school, y.total_rural, y.consumer_price, flat]
        amounts += [scenario.target_tariff] if scenario.target_tariff is not None else []
        for name, amount in zip(series, amounts, strict=True):
            values.append({"year": str(y.year), "series": name, "value": float(amount)})
    chart = alt.Chart(alt.Data(values=values), title=alt.TitleParams(words["title"],
                                                                     anchor="start"))
    chart = chart.mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("year:O", title=words["year"], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=words["axis"], axis=alt.Axis(format="$,.0f")),
        color=alt.Color("series:N", sort=series, title=None,
                        scale=alt.Scale(domain=series, range=list(COLOURS[:len(series)])),
                        legend=alt.Legend(orient="bottom", direction="vertical",
                                          symbolType="stroke", symbolStrokeWidth=2.5,
                                          symbolSize=400)),
        strokeDash=alt.StrokeDash("series:N", sort=series, title=None,
                                  scale=alt.Scale(domain=series, range=list(DASHES[:len(series)]))),
    ).properties(width=WIDTH, height=HEIGHT)
    spec = chart.to_dict()
    spec["config"] = {
        "font": CHART_FONT,
        "locale": {"number": LOCALES["en" if language == "en" else "nl"]},
        "view": {"stroke": None},
        "title": {"fontSize": 14},
        "axis": {"labelFontSize": 11, "titleFontSize": 11},
        "legend": {"labelFontSize": 12, "labelLimit": 480},
    }
    spec["description"] = words["title"]
    return _svg(json.dumps(spec, sort_keys=True))


@functools.lru_cache(maxsize=64)
def _svg(spec: str) -> str:
    """A spec drawn as SVG (about 150 ms): kept, as a scenario asked again draws the same."""
    return vl_convert.vegalite_to_svg(json.loads(spec), allowed_base_urls=[])


def data_uri(svg: str) -> str:
    """An SVG as a data: URI for an <img> (the CSP allows data: images, not inline styles)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
