"""The demo's connectivity feeds: Telenet's and a small Proximus one (contracts/subscriptions.md).

Written from the demo's school list in the proportions of the parliamentary answer (seed 000):
of Flanders' schools about 1,700 on Internet Only and about 200 on SchoolNet+ (managed), about
100 managed lines behind the firewall, a few dozen with a backup line, VPN at a handful of
schools with several locations. Exact quotas are drawn without replacement as the list streams
by, so the same file and seed give the same bytes, and memory stays flat at any scale.
Requests run from 2018 to 2022, seasonal, with a dip in the spring 2020 lockdown and no surge
after it ("geen extra aanvragen door scholen omwille van corona").
"""

from __future__ import annotations

import bisect
import calendar
import csv
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ictmonitor.connectivity.catalogue import read as read_catalogue
from ictmonitor.core.safecsv import csv_writer

COLUMNS = ["provider", "contract_id", "schoolnummer", "intern_vplnummer", "offer",
           "download_mbps", "upload_mbps", "modules", "requested_on", "started_on", "ended_on"]
MODULE_ORDER = {code: i for i, code in enumerate((
    "firewall", "web-protection", "server-protection", "server-network", "ddos-protection",
    "wifi", "backup-line", "pc-backup", "server-backup", "vpn"))}  # the catalogue's order
FEED_FILES = {"telenet": "telenet-lijnen.csv", "proximus": "proximus-lijnen.csv"}
ELIGIBLE_AT_SCALE_1 = 4057  # the published list's institutions outside higher education
# Schools per kind of line at scale 1 (seed 000). Managed schools are split so the firewall
# (about 100 lines), backup-line (a few dozen) and VPN (a handful) counts come out exact.
QUOTAS = {"internet": 1700, "managed": 200, "firewall": 100, "backup": 36, "vpn": 8,
          "proximus-internet": 80, "proximus-managed": 12, "former": 120}
EXTRA_MODULES = {"web-protection": 0.35, "wifi": 0.3, "ddos-protection": 0.1,
                 "pc-backup": 0.1, "server-backup": 0.12}
FIREWALL_EXTRAS = {"server-protection": 0.3, "server-network": 0.2}  # they need the firewall
TIER_WEIGHTS = {"internet-only": (50, 35, 15), "managed": (20, 50, 30)}
SEASON = (0.8, 0.9, 1.0, 1.0, 1.1, 1.3, 1.2, 1.4, 1.0, 0.9, 0.9, 0.6)
LOCKDOWN = {(2020, 3): 0.7, (2020, 4): 0.45, (2020, 5): 0.7, (2020, 6): 1.05, (2020, 7): 1.05}
MONTHS = [(y, m) for y in range(2018, 2023) for m in range(1, 13)]
_MONTH_CUMULATIVE = list(itertools.accumulate(
    SEASON[m - 1] * (1 + 0.04 * (y - 2018)) * LOCKDOWN.get((y, m), 1.0) for y, m in MONTHS))

FeedProgress = Callable[[int, int], None]
"""Called with (institutions read, institutions in all) as the feeds are written."""


@dataclass
class School:
    """One institution of the school list: its number, level and location numbers."""

    number: str
    level: str
    locations: list[str]
    main: str


@dataclass
class Feeds:
    """The feeds written and how many lines each has."""

    paths: dict[str, Path]
    lines: dict[str, int] = field(default_factory=dict)


def read_schools(schools_file: Path) -> Iterator[School]:
    """The institutions of a school list in contracts/schools.md, one at a time."""
    with schools_file.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        number, location, main, level = (header.index(c) for c in (
            "schoolnummer", "intern_vplnummer", "hoofdzetel", "onderwijsniveau"))
        for key, group in itertools.groupby(rows, key=lambda r: r[number]):
            members = list(group)
            main_row = next((r for r in members if r[main] == "True"), members[0])
            yield School(key, members[0][level], [r[location] for r in members],
                         main_row[location])


def quotas(eligible: int, several_locations: int) -> dict[str, int]:
    """How many schools of each kind the feeds give, for this many eligible institutions."""
    n = {kind: round(eligible * count / ELIGIBLE_AT_SCALE_1) for kind, count in QUOTAS.items()}
    vpn = min(n["vpn"], several_locations)
    backup_firewall = n["backup"] // 2
    firewall = max(0, n["firewall"] - vpn - backup_firewall)
    out = {"internet": max(1, n["internet"]), "vpn": vpn, "backup-firewall": backup_firewall,
           "backup": n["backup"] - backup_firewall, "firewall": firewall,
           "managed": max(0, n["managed"] - vpn - n["backup"] - firewall),
           "proximus-internet": n["proximus-internet"], "proximus-managed": n["proximus-managed"],
           "former": n["former"]}
    out["none"] = eligible - sum(out.values())
    while out["none"] < 0:  # a tiny list: fewer of the largest kinds
        largest = max((k for k in out if k != "none"), key=lambda k: out[k])
        out[largest] -= 1
        out["none"] += 1
    return out


def generate_feeds(output: Path, schools_file: Path, *, seed: int,
                   progress: FeedProgress | None = None) -> Feeds:
    """Write the Telenet and Proximus feeds for the schools of a school list."""
    eligible = several = total = 0
    for school in read_schools(schools_file):
        total += 1
        if school.level != "HO":
            eligible += 1
            several += len(school.locations) > 1
    left = quotas(eligible, several)
    tiers = catalogue_tiers()
    rng = random.Random(seed ^ 0x5C0_0EC7)
    output.mkdir(parents=True, exist_ok=True)
    feeds = Feeds({p: output / name for p, name in FEED_FILES.items()})
    with (feeds.paths["telenet"].open("w", encoding="utf-8", newline="") as telenet_out,
          feeds.paths["proximus"].open("w", encoding="utf-8", newline="") as proximus_out):
        writers = {"telenet": csv_writer(telenet_out, delimiter=";", lineterminator="\n"),
                   "proximus": csv_writer(proximus_out, delimiter=";", lineterminator="\n")}
        for writer in writers.values():
            writer.writerow(COLUMNS)
        feeds.lines = dict.fromkeys(writers, 0)
        done = 0
        for school in read_schools(schools_file):
            done += 1
            if school.level == "HO":
                continue
            kind = _draw(rng, left, len(school.locations) > 1, several)
            several -= len(school.locations) > 1
            for row in _lines(rng, school, kind, tiers, feeds.lines):
                writers[row[0]].writerow(row)
            if progress and done % 1000 == 0:
                progress(done, total)
    if progress:
        progress(total, total)
    return feeds


Tiers = dict[str, dict[str, list[tuple[int, int]]]]
VersionTiers = list[tuple[date, Tiers]]


def catalogue_tiers() -> VersionTiers:
    """Each catalogue version's first day with each provider's bandwidths (download, upload
    Mbps) per offer, oldest first."""
    return [(version["valid_from"],
             {provider: {o: [(d, u) for d, u, *_ in t] for o, t in prices["offers"].items()}
              for provider, prices in version["prices"].items()})
            for version in read_catalogue()["versions"]]


def tiers_on(tiers: VersionTiers, day: date) -> Tiers:
    """The bandwidths of the catalogue version in force on a day: a line is sold (and priced)
    under it."""
    found = [offered for first, offered in tiers if first <= day]
    return found[-1] if found else tiers[0][1]


def _draw(rng: random.Random, left: dict[str, int], has_several: bool, several: int) -> str:
    """A kind drawn without replacement; VPN only from the schools with several locations."""
    if has_several and rng.random() * several < left["vpn"]:
        left["vpn"] -= 1
        return "vpn"
    kinds = [k for k in left if k != "vpn"]
    point = int(rng.random() * sum(left[k] for k in kinds))
    for kind in kinds:
        if point < left[kind]:
            left[kind] -= 1
            return kind
        point -= left[kind]
    raise AssertionError("no quota left")


def _lines(rng: random.Random, school: School, kind: str,
           tiers: VersionTiers, counters: dict[str, int]) -> Iterator[list[object]]:
    """The feed rows of one school: its main line, lines at other sites, an older line."""
    if kind == "none":
        return
    provider = "proximus" if kind.startswith("proximus") else "telenet"
    offer = "internet-only" if kind in ("internet", "proximus-internet", "former") else "managed"

    def bandwidths(day: date) -> dict[str, list[tuple[int, int]]]:
        return tiers_on(tiers, day)[provider]

    def line(location: str, offer: str, tier: tuple[int, int], modules: list[str],
             requested: date, started: date, ended: date | None = None) -> list[object]:
        return line_row(counters, provider, school, location, offer, tier, modules, requested,
                        started, ended)

    modules = managed_modules(rng, kind) if offer == "managed" else []
    requested = request_day(rng)
    started = requested + timedelta(days=_int(rng, 14, 56))
    ended = started + timedelta(days=_int(rng, 200, 1000)) if kind == "former" else None
    if kind not in ("former", "vpn") and requested >= date(2019, 3, 1) and rng.random() < 0.12:
        # An older, slower line at the main location, ended the day before this one started.
        old = date(2018, 1, 1) + timedelta(days=_int(rng, 0, (requested - date(2018, 1, 1))
                                                     .days - 60))
        yield line(school.main, "internet-only", bandwidths(old)["internet-only"][0], [], old,
                   old + timedelta(days=_int(rng, 14, 30)), started - timedelta(days=1))
    tier = pick_tier(rng, bandwidths(requested)[offer], offer)
    yield line(school.main, offer, tier, modules, requested, started, ended)
    for location in school.locations:
        if location == school.main:
            continue
        if kind == "vpn":  # VPN joins the school's sites: each gets a managed line
            yield line(location, offer, tier, ["firewall", "vpn"], requested, started)
        elif kind != "former" and rng.random() < (0.25 if offer == "internet-only" else 0.15):
            day = request_day(rng)
            yield line(location, "internet-only", pick_tier(rng, bandwidths(day)["internet-only"],
                                                            "internet-only"),
                       [], day, day + timedelta(days=_int(rng, 14, 56)))


def managed_modules(rng: random.Random, kind: str) -> list[str]:
    """A managed line's modules: those its kind stands for, a few more, prerequisites kept."""
    chosen = {"vpn": ["firewall", "vpn"], "backup-firewall": ["firewall", "backup-line"],
              "backup": ["backup-line"], "firewall": ["firewall"]}.get(kind, [])
    extras = dict(EXTRA_MODULES, **(FIREWALL_EXTRAS if "firewall" in chosen else {}))
    chosen += [code for code, share in extras.items() if rng.random() < share]
    return chosen


def request_day(rng: random.Random) -> date:
    """A day from 2018 to 2022, by the months' weights (season, growth, the 2020 lockdown)."""
    year, month = MONTHS[bisect.bisect(_MONTH_CUMULATIVE, rng.random() * _MONTH_CUMULATIVE[-1])]
    return date(year, month, _int(rng, 1, calendar.monthrange(year, month)[1]))


def pick_tier(rng: random.Random, tiers: list[tuple[int, int]], offer: str) -> tuple[int, int]:
    """A bandwidth tier, the offer's usual ones more often."""
    weights = TIER_WEIGHTS[offer][: len(tiers)]
    point = rng.random() * sum(weights)
    return tiers[bisect.bisect(list(itertools.accumulate(weights)), point)]


def line_row(counters: dict[str, int], provider: str, school: School, location: str,
             offer: str, tier: tuple[int, int], modules: list[str], requested: date,
             started: date, ended: date | None) -> list[object]:
    """A feed row, numbering the provider's contracts; the main location sometimes left empty."""
    counters[provider] += 1
    contract = f"TN{counters[provider]:08d}" if provider == "telenet" else \
        f"PX-{counters[provider]:07d}"
    site = "" if location == school.main and counters[provider] % 3 == 0 else location
    return [provider, contract, school.number, site, offer, tier[0], tier[1],
            "|".join(sorted(set(modules), key=MODULE_ORDER.__getitem__)), requested.isoformat(),
            started.isoformat(), ended.isoformat() if ended else ""]


def _int(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))

