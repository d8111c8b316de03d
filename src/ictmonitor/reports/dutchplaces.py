"""Where the map places a Dutch location: DUO's lists carry no coordinates, so a location
stands at the centre of its 4-digit postcode, else of its municipality (CBS code), from
GeoNames' postal codes (CC BY 4.0) kept in data/ (data/README.md says how they were made)."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
POSTCODE, MUNICIPALITY = "postcode", "municipality"
PC4 = re.compile(r"^\s*(\d{4})(?:\s*[A-Za-z]{2})?\s*$")


def _read(name: str) -> dict[str, tuple[float, float]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return {row[0]: (float(row[1]), float(row[2])) for row in list(csv.reader(handle))[1:]}


@cache
def postcode_centres() -> dict[str, tuple[float, float]]:
    """PC4 (`9406`) → (longitude, latitude) of its centre."""
    return _read("nl_postcodes.csv")


@cache
def municipality_centres() -> dict[str, tuple[float, float]]:
    """CBS municipality code as stored (`GM0106`) → (longitude, latitude) of its centre."""
    return _read("nl_municipalities.csv")


def pc4(postcode: str) -> str | None:
    """The four digits of a Dutch postcode (`9406 NN`, `9406NN`, `9406`), else None."""
    found = PC4.match(postcode or "")
    return found[1] if found else None


def centre(postcode: str, municipality: str | None) -> tuple[float, float, str] | None:
    """(longitude, latitude, what it is the centre of: POSTCODE or MUNICIPALITY) for a Dutch
    location, or None when neither its postcode nor its municipality is known."""
    four = pc4(postcode)
    if four is not None and four in postcode_centres():
        return (*postcode_centres()[four], POSTCODE)
    if municipality and municipality in municipality_centres():
        return (*municipality_centres()[municipality], MUNICIPALITY)
    return None
