"""A report's chart, defined once as a Vega-Lite spec: vega-embed draws it on the page,
vl-convert turns it into the SVG the PDF carries.

What is charted is chartdata.py's, shared with the workbook's native chart: the first measure
by the first dimension, coloured (stacked counts, grouped rates) by the second, a bar per
combination with the third and later ones; a line over time when the first dimension is a month
or year. Data is inline, with display labels; suppressed cells and the totals are not charted.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert

from ictmonitor.core.charts import CHART_FONT
from ictmonitor.reports.chartdata import ChartData, chart_data
from ictmonitor.reports.definitions import MONEY, RATE, Result
from ictmonitor.reports.formatting import capitalised, format_number, word

TOP = 40
WIDTH = 520
COLOUR = "#1d4f7c"
LOCALES = {
    "nl": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}
AXIS_FORMATS = {RATE: ".0%", MONEY: "$,.0f"}


def chart_spec(result: Result) -> dict[str, Any] | None:
    """The result's chart as a Vega-Lite spec (a dict), or None when there is nothing to chart."""
    data = chart_data(result)
    if data is None:
        return None
    language = result.parameters.language
    measure = data.measure
    first = data.first
    second = bool(data.group_dimensions)
    values = _values(data, language)
    order = _category_order(data)
    total_categories = len(order)
    top = not data.timeline and (first == "school" or total_categories > TOP)
    if top:
        order = order[:TOP]
        kept = set(order)
        values = [v for v in values if v["category"] in kept]
    shown = {v.get("group") for v in values}
    group_order = [group for group in data.groups() if group in shown]

    title = data.title(language)
    subtitle = word("top", language).format(
        n=TOP, of=format_number(total_categories, "count", language))
    chart = alt.Chart(
        alt.Data(values=values),
        title=alt.TitleParams(title, subtitle=subtitle if top else alt.Undefined, anchor="start"),
    )
    measure_axis = alt.Axis(format=AXIS_FORMATS.get(measure.kind, ",.0f"),
                            tickMinStep=alt.Undefined if measure.kind == RATE else 1)
    value_title = capitalised(measure.label(language))
    category_title = data.category_title(language)
    tooltip = [alt.Tooltip("category:N", title=category_title)]
    if second:
        tooltip.append(alt.Tooltip("group:N", title=data.group_title(language)))
    tooltip.append(alt.Tooltip("text:N", title=value_title))
    colour = (alt.Color("group:N", sort=group_order, title=data.group_title(language),
                        legend=alt.Legend(orient="top", direction="horizontal", columns=4),
                        scale=alt.Scale(scheme="tableau10" if len(group_order) <= 10
                                        else "tableau20"))
              if second else alt.Undefined)

    if data.timeline:
        chart = chart.mark_line(point=True, color=alt.Undefined if second else COLOUR).encode(
            x=alt.X("category:O", sort=order, title=category_title,
                    scale=alt.Scale(domain=order),  # every month or year, empty ones too
                    axis=alt.Axis(labelAngle=0 if first == "year" else -45)),
            y=alt.Y("value:Q", title=value_title, axis=measure_axis),
            color=colour, tooltip=tooltip,
        ).properties(width=WIDTH, height=260)
    else:
        stacked = measure.kind != RATE
        horizontal = len(order) > 6 or max(len(c) for c in order) > 12
        category_axis = alt.Axis(labelLimit=220, labelAngle=0)
        encoding: dict[str, Any] = {"color": colour, "tooltip": tooltip}
        step = 18 if stacked or not second else max(18, 9 * len(group_order))
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
        "font": CHART_FONT,
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


def _values(data: ChartData, language: str) -> list[dict[str, Any]]:
    """The charted points, as Vega-Lite's inline data: labels for display, the figure as text."""
    points = []
    for p in data.points:
        point: dict[str, Any] = {"category": p.category, "value": p.value,
                                 "text": format_number(p.figure, data.measure.kind, language)}
        if p.group is not None:
            point["group"] = p.group
        points.append(point)
    return points


def _category_order(data: ChartData) -> list[str]:
    """Over time, or when every category is shown: the table's order. Otherwise the largest
    first (the stacked sum of counts, the highest rate), ties in the table's order."""
    order = data.categories()
    if data.timeline or (data.first != "school" and len(order) <= TOP):
        return order
    size: dict[str, float] = {}
    for p in data.points:
        if data.measure.kind == RATE:
            size[p.category] = max(size.get(p.category, 0.0), p.value)
        else:
            size[p.category] = size.get(p.category, 0.0) + p.value
    rank = {category: n for n, category in enumerate(order)}
    return sorted(order, key=lambda c: (-size[c], rank[c]))
