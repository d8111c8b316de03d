"""The map of schools: where every open location stands and the status it is coloured by.

A location is drawn from its own coordinates: the Flemish list's Lambert-72 metres (EPSG:31370)
converted to WGS84 longitude and latitude with pyproj. DUO's files carry none: a Dutch location
is placed at the centre of its postcode, else of its municipality (dutchplaces.py), and
the map and the table say so. A location with neither (the Flemish list writes `0,0` for
unknown) is counted in the table but not drawn. The status is its institution's, on the day
asked: the offers of its active lines, its valid label, or its lines' measured speed against
their contracts.

What is public: the offers of each school are the public `school-modules` report's, a label is
public (its verification page), and counts of schools are published as they are (reports.md);
so the public map shows those two, on release dates only. Measured quality per school (its
lines against their contracts, this month or last) is in no public report: only the analysts'
map shows it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyproj import Transformer

from ictmonitor.assessment import selectors as assessment_selectors
from ictmonitor.connectivity import selectors as connectivity_selectors
from ictmonitor.measurements import selectors as measurements_selectors
from ictmonitor.registry import selectors as registry_selectors
from ictmonitor.reports import dutchplaces

OFFER, LABEL, QUALITY = "offer", "label", "quality"
STATUSES = {
    OFFER: gettext_lazy("Offer"),
    LABEL: gettext_lazy("Label"),
    QUALITY: gettext_lazy("Measured quality"),
}
PUBLIC_STATUSES = (OFFER, LABEL)

# Colours told apart by people with a colour-vision deficiency (Okabe and Ito), grey for none.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#999933")
NONE_COLOUR = "#9a9a9a"
LABEL_COLOURS = {"gold": "#E69F00", "silver": "#56B4E9", "bronze": "#A0522D",
                 "iron": "#4d4d4d"}
QUALITY_COLOURS = {"meets": "#009E73", "misses": "#D55E00", "unknown": "#CC79A7"}
# A school with several lines takes its worst judged one: below over meets over not judged.
QUALITY_RANK = {"unknown": 0, "meets": 1, "misses": 2}
NONE = "none"
SEVERAL = "several"
# Where a dot stands: the location's own coordinates, or the centre of its postcode or of its
# municipality (a Dutch location); "" where it has no position.
OWN, POSTCODE, MUNICIPALITY = "own", dutchplaces.POSTCODE, dutchplaces.MUNICIPALITY
PLACED = {
    OWN: gettext_lazy("its own coordinates"),
    POSTCODE: gettext_lazy("its postcode's centre"),
    MUNICIPALITY: gettext_lazy("its municipality's centre"),
    "": gettext_lazy("no position"),
}


@dataclass(frozen=True)
class Category:
    """One value of the status a dot takes: its code, name and colour."""

    code: str
    name: str
    colour: str


@dataclass(frozen=True)
class Point:
    """One location on the map: who it is, where it stands (None: no position) and from what
    (`placed`: OWN, POSTCODE, MUNICIPALITY or ""), its category code."""

    institution: str
    name: str
    location: str
    place: str
    province: str
    lon: float | None
    lat: float | None
    category: str
    country: str = "BE"
    placed: str = ""

    @property
    def approximate(self) -> bool:
        """Drawn at a postcode's or municipality's centre, not at its own coordinates."""
        return self.placed in (POSTCODE, MUNICIPALITY)

    @property
    def placed_name(self) -> str:
        return str(PLACED[self.placed])


@dataclass(frozen=True)
class SchoolMap:
    """The points of a day under one status, the categories they fall in (legend order),
    and the count per province and category (the table)."""

    status: str
    day: date
    categories: list[Category]
    points: list[Point]
    counts: dict[str, Counter[str]]
    province_names: dict[str, str]

    @property
    def drawn(self) -> int:
        return sum(1 for p in self.points if p.lon is not None)

    @property
    def not_drawn(self) -> int:
        return len(self.points) - self.drawn

    def placed(self, how: str) -> int:
        """How many locations stand at their own coordinates (OWN), at their postcode's or
        municipality's centre, or nowhere ("")."""
        return sum(1 for p in self.points if p.placed == how)

    @property
    def own(self) -> int:
        return self.placed(OWN)

    @property
    def at_postcode(self) -> int:
        return self.placed(POSTCODE)

    @property
    def at_municipality(self) -> int:
        return self.placed(MUNICIPALITY)

    def total(self, category: str) -> int:
        return sum(counts[category] for counts in self.counts.values())


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:31370", "EPSG:4326", always_xy=True)


def wgs84(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """Lambert-72 metres → (longitudes, latitudes) in degrees, for many points at once."""
    if not xs:
        return [], []
    lons, lats = _to_wgs84().transform(xs, ys)
    return list(lons), list(lats)


def _offer_statuses(day: date, language: str) -> tuple[dict[int, str], list[Category]]:
    offers = connectivity_selectors.offers_of_institutions(day)
    used = sorted({offer for found in offers.values() for offer in found})
    names = connectivity_selectors.offer_names(used, language)
    categories = [Category(code, names.get(code, code), PALETTE[i % len(PALETTE)])
                  for i, code in enumerate(used)]
    categories += [Category(SEVERAL, _("several offers"), "#000000"),
                   Category(NONE, _("no line"), NONE_COLOUR)]
    return ({institution: next(iter(found)) if len(found) == 1 else SEVERAL
             for institution, found in offers.items()}, categories)


def _label_statuses(day: date, language: str) -> tuple[dict[int, str], list[Category]]:
    titles = assessment_selectors.level_titles(language)
    found = dict(assessment_selectors.current_labels(day).values_list("institution_id", "level"))
    categories = [Category(level, titles.get(level, level), colour)
                  for level, colour in LABEL_COLOURS.items()]
    return found, [*categories, Category(NONE, _("no valid label"), NONE_COLOUR)]


def _quality_statuses(day: date) -> tuple[dict[int, str], list[Category]]:
    """A school's lines measured this month or last against their contracts: below when any
    line delivers less than 80 % of its contract, meets when every judged line does."""
    found: dict[int, str] = {}
    for quality in measurements_selectors.recent_line_quality(Q(line__isnull=False),
                                                              today=day).values():
        verdict = {True: "meets", False: "misses", None: "unknown"}[quality.meets_contract]
        before = found.get(quality.institution_id)
        if before is None or QUALITY_RANK[verdict] > QUALITY_RANK[before]:
            found[quality.institution_id] = verdict
    return found, [Category("meets", _("meets its contract"), QUALITY_COLOURS["meets"]),
                   Category("misses", _("below its contract"), QUALITY_COLOURS["misses"]),
                   Category("unknown", _("measured, too few speed tests"),
                            QUALITY_COLOURS["unknown"]),
                   Category(NONE, _("not measured"), NONE_COLOUR)]


def _positions(rows: list[dict[str, Any]]) -> dict[int, tuple[float, float, str]]:
    """id(row) → (longitude, latitude, how placed) of every location that has a position: its
    own Lambert coordinates, else (a Dutch location) its postcode's or municipality's centre."""
    own = [row for row in rows if row["lambert_x"] and row["lambert_y"]]
    lons, lats = wgs84([row["lambert_x"] for row in own], [row["lambert_y"] for row in own])
    where = {id(row): (lon, lat, OWN) for row, lon, lat in zip(own, lons, lats, strict=True)}
    for row in rows:
        if id(row) not in where and row["institution__country"] == "NL":
            found = dutchplaces.centre(row["postcode"], row["municipality_id"])
            if found is not None:
                where[id(row)] = found
    return where


def school_map(status: str, day: date, language: str) -> SchoolMap:
    """Every location open on `day`, coloured by `status` (offer, label or quality)."""
    rows = registry_selectors.mapped_locations(day)
    if status == OFFER:
        by_school, categories = _offer_statuses(day, language)
    elif status == LABEL:
        by_school, categories = _label_statuses(day, language)
    elif status == QUALITY:
        by_school, categories = _quality_statuses(day)
    else:
        raise ValueError(f"no such status: {status}")
    where = _positions(rows)
    points: list[Point] = []
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        lon, lat, placed = where.get(id(row), (None, None, ""))
        category = by_school.get(row["institution_id"], NONE)
        province = row["province_id"] or ""
        points.append(Point(row["institution__number"], row["institution__name"], row["number"],
                            row["place"], province, lon, lat, category,
                            row["institution__country"], placed))
        counts[province][category] += 1
    names = registry_selectors.province_names([code for code in counts if code], language)
    return SchoolMap(status, day, categories, points,
                     dict(sorted(counts.items(), key=lambda item: names.get(item[0], "~"))),
                     names)


def table_rows(found: SchoolMap) -> list[dict[str, Any]]:
    """The table beside the map: per province, the count of locations in each category."""
    return [{"province": found.province_names.get(code) or _("unknown province"),
             "counts": [counts[c.code] for c in found.categories],
             "total": sum(counts.values())}
            for code, counts in found.counts.items()]
