"""The national demo dataset: school locations and pupil counts, written in the contract formats.

`generate` streams both files row by row from one seeded random generator, so the same seed and
scale give the same bytes, and memory stays flat at any scale (500 gives about two million
institutions). Schools: contracts/schools.md (the department's 36 columns, comma-separated
UTF-8); pupils: contracts/enrolments.md.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ictmonitor.core.safecsv import csv_writer
from ictmonitor.demo import names
from ictmonitor.demo.numbering import FIRST_NUMBER, MAX_GAP, Numbering, company_number, level_counts
from ictmonitor.demo.places import Place, places_by_province
from ictmonitor.demo.tables import (
    CLB_SHARE,
    GROUP_SHARE,
    LEVEL_ORDER,
    LOCATION_WEIGHTS,
    NIVEAU,
    NO_PROVINCE_SHARE,
    PROVINCES,
    PUPILS,
    SCHOOL_YEARS,
    SMALL_SHARE,
    STRUCTURES,
    TYPES,
)

DEFAULT_SEED = 20260101
SCHOOL_COLUMNS = [
    "schoolnummer", "intern_vplnummer", "net", "naam", "hoofdzetel", "adres", "straat",
    "huisnummer", "busnummer", "postcode", "gemeente", "niscode", "provinciecode", "provincie",
    "VWO-vestigingsplaatscode", "crab-code", "crab-huisnr", "lx", "ly", "kbo-nummer", "telefoon",
    "fax", "e-mail", "website", "beheerder(s)", "soort instelling", "onderwijsniveau",
    "instellingstype", "begindatum", "einddatum", "status erkenning", "clb", "bestuur",
    "scholengemeenschap", "taalstelsel", "ingerichte hoofdstructuren",
]
ENROLMENT_COLUMNS = ["schoolnummer", "intern_vplnummer", "schooljaar", "niveau", "leerlingen"]
SCHOOLS_FILE = "vestigingsplaatsen.csv"
ENROLMENTS_FILE = "leerlingen.csv"
OPEN_START, OPEN_END = "01/01/0001", "31/12/4444"
# Share of institutions per level whose begindatum is open-ended, as published.
OPEN_START_SHARE = {"BaO": 0.78, "SO": 0.59, "DKO": 0.97}

_LOCATION_CUMULATIVE = {level: list(itertools.accumulate(weights))
                        for level, weights in LOCATION_WEIGHTS.items()}
_REPEATS = list(itertools.accumulate((50, 25, 15, 10)))  # how often a structure code repeats

GenerationProgress = Callable[[int, int], None]
"""Called with (institutions written, institutions in all) as the files are written."""


@dataclass
class DemoFiles:
    """The files written and how much is in them."""

    schools: Path
    enrolments: Path
    institutions: int = 0
    locations: int = 0
    enrolment_rows: int = 0


@dataclass
class Institution:
    """What every location row of one institution repeats."""

    number: int
    level: str
    kind: str
    net: str
    province: str
    name: str
    board: str
    group: str
    clb: str
    kbo: str
    website: str
    starts: str
    ends: str
    recognition: str
    language: str


def generate(output: Path, *, scale: float = 1.0, seed: int = DEFAULT_SEED,
             progress: GenerationProgress | None = None) -> DemoFiles:
    """Write the school-locations and pupil-counts files into a folder; returns what was made."""
    output.mkdir(parents=True, exist_ok=True)
    files = DemoFiles(output / SCHOOLS_FILE, output / ENROLMENTS_FILE)
    rng = random.Random(seed)
    numbering = Numbering(level_counts(scale))
    total = sum(sum(p.values()) for p in numbering.counts.values())
    places = places_by_province()
    by_municipality: dict[str, list[Place]] = {}
    for province_places in places.values():
        for place in province_places:
            by_municipality.setdefault(place.refnis, []).append(place)
    number = FIRST_NUMBER
    with (files.schools.open("w", encoding="utf-8", newline="") as schools_out,
          files.enrolments.open("w", encoding="utf-8", newline="") as pupils_out):
        schools = csv_writer(schools_out, lineterminator="\n")
        pupils = csv_writer(pupils_out, delimiter=";", lineterminator="\n")
        schools.writerow(SCHOOL_COLUMNS)
        pupils.writerow(ENROLMENT_COLUMNS)
        for level in LEVEL_ORDER:
            remaining = dict(numbering.counts[level])
            mix = TYPES[level]
            cumulative = list(itertools.accumulate(n for _k, _n, n in mix))
            while any(remaining.values()):
                province = _take(rng, remaining)
                kind, net, _ = mix[_weighted(rng, cumulative)]
                number += _int(rng, 1, MAX_GAP)
                main_place = _pick(rng, places[province])
                institution = _institution(rng, numbering, number, level, kind, net, province,
                                           main_place)
                for row, enrolments in _locations(rng, institution, main_place,
                                                  places[province], by_municipality):
                    schools.writerow(row)
                    pupils.writerows(enrolments)
                    files.locations += 1
                    files.enrolment_rows += len(enrolments)
                files.institutions += 1
                if progress and files.institutions % 1000 == 0:
                    progress(files.institutions, total)
    if progress:
        progress(files.institutions, total)
    return files


def _int(rng: random.Random, low: int, high: int) -> int:
    """A whole number from low to high; random.randint is several times slower."""
    return low + int(rng.random() * (high - low + 1))


def _pick[T](rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def _weighted(rng: random.Random, cumulative: list[int]) -> int:
    """The index drawn by cumulative weights."""
    return bisect.bisect(cumulative, rng.random() * cumulative[-1])


def _take(rng: random.Random, remaining: dict[str, int]) -> str:
    """A province drawn in proportion to what is left of its quota, so quotas come out exact."""
    point = int(rng.random() * sum(remaining.values()))
    for province, left in remaining.items():
        if point < left:
            remaining[province] -= 1
            return province
        point -= left
    raise AssertionError("no quota left")


def _institution(rng: random.Random, numbering: Numbering, number: int, level: str, kind: str,
                 net: str, province: str, place: Place) -> Institution:
    name = names.institution_name(rng, level, kind, net, place.municipality,
                                  PROVINCES[province][0])
    board = group = clb = ""
    if net:
        index = numbering.boards[net, province].pick(rng)
        board, kbo = numbering.board(index), company_number(2_000_000 + 13 * index)
    else:  # universities and colleges: no board in the list, a company number of their own
        kbo = company_number(40_000_000 + number % 50_000_000)
    if level in GROUP_SHARE and net and rng.random() < GROUP_SHARE[level]:
        group = numbering.group(numbering.groups[level, net, province].pick(rng))
    if level in CLB_SHARE and net and rng.random() < CLB_SHARE[level]:
        clb = numbering.clb(numbering.clbs[net, province].pick(rng))
    if level in OPEN_START_SHARE:
        starts = OPEN_START if rng.random() < OPEN_START_SHARE[level] else \
            f"01/09/{_int(rng, 1990, 2023)}"
        ends, recognition, language = OPEN_END, "E" if rng.random() < 0.003 else "S", \
            "Nederlandstalig"
    else:  # adult education and higher education publish no end date, status or language
        starts = "01/04/1975" if level == "VWO" else f"01/09/{_pick(rng, (1995, 2013))}"
        ends = recognition = language = ""
    return Institution(number, level, kind, net, province, name, board, group, clb, kbo,
                       names.website(name), starts, ends, recognition, language)


def _locations(
    rng: random.Random, inst: Institution, main_place: Place,
    province_places: tuple[Place, ...], by_municipality: dict[str, list[Place]],
) -> Iterator[tuple[list[object], list[tuple[object, ...]]]]:
    """Each location's school row and its pupil-count rows, in location order."""
    count = 1 + _weighted(rng, _LOCATION_CUMULATIVE[inst.level])
    # Usually the first location is the main one; sometimes another, as in the published list.
    main = 1 if count == 1 or rng.random() < 0.9 else _int(rng, 2, count)
    for location in range(1, count + 1):
        is_main = location == main
        if is_main:
            place = main_place
        elif rng.random() < 0.85:
            place = _pick(rng, by_municipality[main_place.refnis])
        else:
            place = _pick(rng, province_places)
        codes = _structures(rng, inst, is_main)
        yield (_school_row(rng, inst, location, is_main, place, codes),
               _enrolments(rng, inst, location, is_main, codes))


def _school_row(rng: random.Random, inst: Institution, location: int, is_main: bool,
                place: Place, codes: list[str]) -> list[object]:
    street = names.street(rng)
    house = str(_int(rng, 1, 60) if rng.random() < 0.7 else _int(rng, 61, 320))
    box = _pick(rng, ("A", "B", "1", "2")) if rng.random() < 0.01 else ""
    address = f"{street} {house}{f' bus {box}' if box else ''}, {place.postcode} " \
              f"{place.municipality}"
    # Every location lies in its institution's province; a few rows leave it to the importer.
    code, province = inst.province, PROVINCES[inst.province][0]
    if rng.random() < NO_PROVINCE_SHARE:
        code = province = ""
    x = round(place.x + rng.uniform(-place.spread_x, place.spread_x))
    y = round(place.y + rng.uniform(-place.spread_y, place.spread_y))
    return [
        inst.number, location, inst.net, inst.name, "True" if is_main else "False", address,
        street, house, box, place.postcode, place.municipality, place.refnis, code, province,
        "", _int(rng, 1, 250_000), _int(rng, 1, 3_500_000), x, y, inst.kbo, "", "", "",
        inst.website, "", "Onderwijsinstelling", inst.level, inst.kind, inst.starts, inst.ends,
        inst.recognition, inst.clb, inst.board, inst.group, inst.language, "-".join(codes),
    ]


def _structures(rng: random.Random, inst: Institution, is_main: bool) -> list[str]:
    """The structure codes a location offers, in published style ('211-111', '311-311')."""
    offered = STRUCTURES.get(inst.kind, ())
    if not offered:
        return []
    if inst.level == "BaO" and len(offered) == 2 and not is_main:
        roll = rng.random()
        offered = offered if roll < 0.55 else offered[:1] if roll < 0.9 else offered[1:]
    if inst.level == "DKO":
        return [offered[0]] * _int(rng, 2, 12)
    if inst.level == "VWO" and len(offered) == 2:
        codes = ["317"] * _int(rng, 3, 30)
        if rng.random() < 0.6:
            codes.insert(_int(rng, 0, len(codes) - 1), "417")
        return codes
    codes = list(offered)
    rng.shuffle(codes)
    if inst.level == "SO":
        codes += [codes[0]] * _weighted(rng, _REPEATS)
    elif rng.random() < 0.2:
        codes.append(_pick(rng, codes))
    return codes


def _enrolments(rng: random.Random, inst: Institution, location: int, is_main: bool,
                codes: list[str]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for niveau in sorted({NIVEAU[c] for c in codes if c in NIVEAU}):
        low, high, mode = PUPILS[_pupil_kind(inst, niveau)][0 if is_main else 1]
        if rng.random() < SMALL_SHARE:
            first = _int(rng, 1, 9)
            second = min(9, max(1, first + _int(rng, -2, 2)))
        else:
            first = round(rng.triangular(low, high, mode))
            second = max(0, round(first * rng.gauss(1.0, 0.05)))
        rows.append((inst.number, location, SCHOOL_YEARS[0], niveau, first))
        rows.append((inst.number, location, SCHOOL_YEARS[1], niveau, second))
    return rows


def _pupil_kind(inst: Institution, niveau: str) -> str:
    if "buitengewoon" in inst.kind and niveau in ("kleuter", "lager", "secundair"):
        return f"{niveau}-buitengewoon"
    if niveau == "secundair" and inst.kind.startswith("Centrum"):
        return "secundair-deeltijds"
    return niveau
