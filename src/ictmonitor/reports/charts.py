"""A report's chart, defined once as a Vega-Lite spec: vega-embed draws it on the page,
vl-convert turns it into the SVG the PDF carries.

The first measure by the first dimension; coloured (stacked counts, grouped rates) by the
second dimension when there is one; a line over time when the first dimension is a month or
year. Data is inline, with display labels; suppressed cells and the totals are not charted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import altair as alt
import vl_convert

from ictmonitor.reports.definitions import MONEY, RATE, Measure, Result
from ictmonitor.reports.formatting import (
    capitalised,
    dimension_name,
    format_number,
    is_suppressed,
    value_label,
    word,
)

TOP = 40
TIME_DIMENSIONS = frozenset({"month", "year"})
WIDTH = 520
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
COLOUR = "#1d4f7c"
LOCALES = {
    "nl": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}
AXIS_FORMATS = {RATE: ".0%", MONEY: "$,.0f"}


def chart_spec(result: Result) -> dict[str, Any] | None:
    """The result's chart as a Vega-Lite spec (a dict), or None when there is nothing to chart."""
    if not result.dimensions or not result.report.measures:
        return None
    language = result.parameters.language
    measure = result.report.measures[0]
    first = result.dimensions[0]
    second = result.dimensions[1] if len(result.dimensions) > 1 else None
    values = _values(result, measure, first, second, language)
    if not values:
        return None
    order = _category_order(values, measure)
    total_categories = len(order)
    top = first not in TIME_DIMENSIONS and (first == "school" or total_categories > TOP)
    if top:
        order = order[:TOP]
        kept = set(order)
        values = [v for v in values if v["category"] in kept]
    else:
        keys = {v["category"]: v["key"] for v in values}
        order.sort(key=lambda category: (keys[category] == "", keys[category]))
    groups = sorted({v["group"]: v["key2"] for v in values if second}.items(),
                    key=lambda item: item[1])
    group_order = [label for label, _ in groups]

    title = capitalised(f"{measure.label(language)} {word('per', language)} "
                        f"{dimension_name(first, language)}")
    if second:
        title += f" {word('and', language)} {dimension_name(second, language)}"
    subtitle = word("top", language).format(
        n=TOP, of=format_number(total_categories, "count", language))
    chart = alt.Chart(
        alt.Data(values=values),
        title=alt.TitleParams(title, subtitle=subtitle if top else alt.Undefined, anchor="start"),
    )
    measure_axis = alt.Axis(format=AXIS_FORMATS.get(measure.kind, ",.0f"),
                            tickMinStep=alt.Undefined if measure.kind == RATE else 1)
    value_title = capitalised(measure.label(language))
    category_title = capitalised(dimension_name(first, language))
    tooltip = [alt.Tooltip("category:N", title=category_title)]
    if second:
        tooltip.append(alt.Tooltip("group:N", title=capitalised(dimension_name(second, language))))
    tooltip.append(alt.Tooltip("text:N", title=value_title))
    colour = (alt.Color("group:N", sort=group_order,
                        title=capitalised(dimension_name(second, language)),
                        legend=alt.Legend(orient="top", direction="horizontal", columns=4),
                        scale=alt.Scale(scheme="tableau10" if len(groups) <= 10 else "tableau20"))
              if second else alt.Undefined)

    if first in TIME_DIMENSIONS:
        chart = chart.mark_line(point=True, color=alt.Undefined if second else COLOUR).encode(
            x=alt.X("category:O", sort=order, title=category_title,
                    axis=alt.Axis(labelAngle=0 if first == "year" else -45)),
            y=alt.Y("value:Q", title=value_title, axis=measure_axis),
            color=colour, tooltip=tooltip,
        ).properties(width=WIDTH, height=260)
    else:
        stacked = measure.kind != RATE
        horizontal = len(order) > 6 or max(len(c) for c in order) > 12
        category_axis = alt.Axis(labelLimit=220, labelAngle=0)
        encoding: dict[str, Any] = {"color": colour, "tooltip": tooltip}
        step = 18 if stacked or not second else max(18, 9 * len(groups))
        if horizontal:
            encoding |= {"y": alt.Y("category:N", sort=order, title=category_title,
                                    axis=category_axis),
                         "x": alt.X("value:Q", title=value_title, axis=measure_axis)}
            if second and not stacked:
                encoding["yOffset"] = alt.YOffset("group:N", sort=group_order)
            size = {"width": WIDTH, "height": alt.Step(step)}
        else:
            encoding |= {"x": alt.X("category:N", sort=order, title=category_title,
                                    axis=category_axis),
                         "y": alt.Y("value:Q", title=value_title, axis=measure_axis)}
            if second and not stacked:
                encoding["xOffset"] = alt.XOffset("group:N", sort=group_order)
            size = {"width": WIDTH, "height": 260}
        chart = chart.mark_bar(color=alt.Undefined if second else COLOUR).encode(
            **encoding).properties(**size)

    spec = chart.to_dict()
    spec["config"] = {
        "font": FONT,
        "locale": {"number": LOCALES["en" if language == "en" else "nl"]},
        "view": {"stroke": None},
        "title": {"fontSize": 14, "subtitleFontSize": 11},
        "axis": {"labelFontSize": 11, "titleFontSize": 11},
        "legend": {"labelFontSize": 11, "titleFontSize": 11},
    }
    spec["description"] = result.report.question(language)
    return spec


def chart_svg(result: Result) -> str:
    """The result's chart as an SVG document (empty when there is nothing to chart); offline."""
    spec = chart_spec(result)
    if spec is None:
        return ""
    return vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])


def _values(result: Result, measure: Measure, first: str, second: str | None,
            language: str) -> list[dict[str, Any]]:
    """The charted points: one per row with a value, labels for display, codes for order."""
    points = []
    for row in result.rows:
        value = row.get(measure.code)
        if not isinstance(value, int | float | Decimal) or is_suppressed(row, measure.code):
            continue  # suppressed, missing, or not a number (a list of codes)
        point = {
            "key": _code(row.get(first)),
            "category": value_label(result, first, row.get(first)),
            "value": float(value) if isinstance(value, Decimal) else value,
            "text": format_number(value, measure.kind, language),
        }
        if second:
            point["key2"] = _code(row.get(second))
            point["group"] = value_label(result, second, row.get(second))
        points.append(point)
    _disambiguate(points)
    return points


def _disambiguate(points: list[dict[str, Any]]) -> None:
    """Two codes with the same label (two schools named alike) keep apart: `name (code)`."""
    codes: dict[str, set[str]] = {}
    for point in points:
        codes.setdefault(point["category"], set()).add(point["key"])
    for point in points:
        if len(codes[point["category"]]) > 1:
            point["category"] = f"{point['category']} ({point['key']})"


def _category_order(values: list[dict[str, Any]], measure: Measure) -> list[str]:
    """Categories, largest first (sum of counts, highest rate), ties by code."""
    size: dict[str, float] = {}
    keys: dict[str, str] = {}
    for v in values:
        category = v["category"]
        keys[category] = v["key"]
        if measure.kind == RATE:
            size[category] = max(size.get(category, 0.0), v["value"])
        else:
            size[category] = size.get(category, 0.0) + v["value"]
    return sorted(size, key=lambda c: (-size[c], keys[c]))


def _code(value: object) -> str:
    return "" if value is None else str(value)
