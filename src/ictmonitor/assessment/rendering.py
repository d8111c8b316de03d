"""Fact sheets' Markdown as safe HTML, and the result page's chart as a Vega-Lite spec."""

from __future__ import annotations

import re
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ictmonitor.core.charts import CHART_FONT

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ORDERED = re.compile(r"^\d+\.\s+")
COLOURS = ("#0b4f8a", "#7a9cc0", "#b35c00", "#555d66")


def _inline(text: str) -> str:
    """Escape, then **bold**."""
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


def markdown(body: str) -> SafeString:
    """Fact-sheet Markdown (##, - and 1. lists, **bold**, paragraphs) as escaped HTML."""
    out: list[str] = []
    block: list[str] = []
    kind = ""

    def close() -> None:
        """Write out the paragraph or list being read."""
        nonlocal kind
        if kind == "p" and block:
            out.append(f"<p>{_inline(' '.join(block))}</p>")
        elif kind in ("ul", "ol"):
            out.append(f"<{kind}>" + "".join(f"<li>{_inline(item)}</li>" for item in block)
                       + f"</{kind}>")
        block.clear()
        kind = ""

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            close()
        elif line.startswith("#"):
            close()
            depth = max(2, min(len(line) - len(line.lstrip("#")), 4))
            out.append(f"<h{depth}>{_inline(line.lstrip('#').strip())}</h{depth}>")
        elif line.startswith(("- ", "* ")) or _ORDERED.match(line):
            wanted = "ol" if _ORDERED.match(line) else "ul"
            if kind != wanted:
                close()
                kind = wanted
            block.append(_ORDERED.sub("", line) if wanted == "ol" else line[2:])
        elif kind in ("ul", "ol") and raw[:1].isspace() and block:
            block[-1] += " " + line  # a list item continued on an indented line
        else:
            if kind != "p":
                close()
                kind = "p"
            block.append(line)
    close()
    return mark_safe("\n".join(out))  # noqa: S308 - every text was escaped above


def chart_spec(rows: list[dict[str, Any]], series: list[str], title: str,
               axis: str) -> dict[str, Any] | None:
    """Grouped bars per area: the school's score, then each group's mean (`series` names them)."""
    values = []
    for row in rows:
        for name, value in zip(series, [row["score"], *row["groups"]], strict=False):
            if value is not None:
                values.append({"area": row["title"], "series": name,
                               "score": round(value, 1)})
    if not values:
        return None
    present = [name for name in series if any(v["series"] == name for v in values)]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": title,
        "title": {"text": title, "anchor": "start"},
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "width": {"step": 22},
        "height": 260,
        "encoding": {
            "x": {"field": "area", "type": "nominal", "title": None,
                  "sort": [row["title"] for row in rows], "axis": {"labelAngle": 0}},
            "xOffset": {"field": "series", "type": "nominal", "sort": present},
            "y": {"field": "score", "type": "quantitative", "title": axis,
                  "scale": {"domain": [0, 100]}},
            "color": {"field": "series", "type": "nominal", "title": None, "sort": present,
                      "scale": {"domain": present, "range": list(COLOURS[:len(present)])},
                      "legend": {"orient": "bottom"}},
        },
        "config": {"font": CHART_FONT, "view": {"stroke": None}},
    }
