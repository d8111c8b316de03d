"""The demo's home-internet vouchers (seed 002) on the demo's invented schools.

Spring 2020: about 47,000 codes issued on request, only 7,924 activated, requests mostly from
schools in Brussels and Antwerp and to a lesser degree Ghent, and also from municipalities and
OCMWs. Autumn 2020: targeted, about 200 more activations; activated spring codes extended on
simple request (the wave's rule). Schools record why codes were not activated
(`record_reasons`). Figures scale with `--scale`. The waves and the requests are recorded
through the ledger's services; the codes are written as the providers' feeds
(contracts/vouchers.md), one file per provider, and loaded through the importer. Codes stream to
the files as they are made, with exact quotas drawn without replacement, so memory stays flat
and the same seed and scale give the same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ictmonitor.core.safecsv import SafeWriter, csv_writer
from ictmonitor.demo.users import demo_school
from ictmonitor.registry.models import Institution, Location, Municipality
from ictmonitor.vouchers.importers import COLUMNS
from ictmonitor.vouchers.models import Request, Voucher, Wave
from ictmonitor.vouchers.services import allocate, create_wave, note_problems, request_vouchers

ACTOR = "demo (ictmonitor demo)"
PROVIDERS = {"telenet": ("TN", 0.56), "proximus": ("PX", 0.44)}
FEED_FILES = {"telenet": "telenet-vouchers.csv", "proximus": "proximus-vouchers.csv"}
WAVES: dict[str, dict[str, Any]] = {
    "2020-spring": dict(name_nl="Eerste lockdown (maart–juli 2020)",
                        name_en="First lockdown (March–July 2020)", opens_on=date(2020, 3, 16),
                        closes_on=date(2020, 6, 30), expires_on=date(2020, 8, 31),
                        reallocate_after_days=21, extension_days=300,
                        extension_on_request=True),  # "op eenvoudig verzoek" (seed 002)
    "2020-autumn": dict(name_nl="Tweede golf (september–december 2020)",
                        name_en="Second wave (September–December 2020)",
                        opens_on=date(2020, 9, 1), closes_on=date(2020, 12, 18),
                        expires_on=date(2021, 6, 30), reallocate_after_days=21),
}
# Codes per wave at scale 1 (issued, activated) and the share of activated spring codes extended.
FIGURES = {"2020-spring": (47_000, 7_924), "2020-autumn": (260, 200)}
EXTENDED_SHARE = 0.4
EXTENDED_UNTIL = date(2021, 6, 30)  # the agreements ran to the end of the school year
SCHOOL_AREAS = {"brussel": 0.42, "antwerpen": 0.33, "gent": 0.13, "elders": 0.12}
CITY_OF = {"11002": "antwerpen", "44021": "gent"}
# Municipalities and OCMWs that asked (REFNIS, area), and their share of the spring codes.
MUNICIPALITIES = [("21004", "brussel", 0.35), ("11002", "antwerpen", 0.3), ("44021", "gent", 0.15),
                  ("12025", "elders", 0.05), ("24062", "elders", 0.05), ("31005", "elders", 0.05),
                  ("71022", "elders", 0.05)]
MUNICIPALITY_SHARE = {"municipality": 0.10, "ocmw": 0.08}
CODES_PER_SCHOOL = {"2020-spring": 32, "2020-autumn": 6}
OTHER_SCHOOLS_KEPT = 5_000


@dataclass
class Requester:
    """Who asked in one wave, for how many codes, on which day; split across providers."""

    requested_by: str
    number: str
    area: str
    codes: int
    requested_on: date
    telenet: int = 0
    extra: int = 0  # pupils asked for beyond the codes issued: the request still waits


@dataclass
class VoucherDemo:
    """The feeds written and what is in them."""

    feeds: list[Path]
    codes: dict[str, int] = field(default_factory=dict)
    activated: dict[str, int] = field(default_factory=dict)
    extended: int = 0


def write_voucher_feeds(output: Path, *, scale: float, seed: int) -> VoucherDemo:
    """Record the waves and requests, and write each provider's feed; returns the files.

    The waves were Flemish campaigns: below scale 1 they shrink with the schools, above it they
    keep the seed's figures (a world-sized registry does not make the 2020 lockdown bigger).
    """
    scale = min(scale, 1.0)
    rng = random.Random(seed * 1_000_003 + 2)
    _waves()
    areas = _schools_by_area(rng)
    plans = {code: _requesters(rng, code, scale, areas) for code in WAVES}
    for code, requesters in plans.items():
        _record_requests(Wave.objects.get(code=code), requesters)
    output.mkdir(parents=True, exist_ok=True)
    demo = VoucherDemo(feeds=[output / name for name in FEED_FILES.values()])
    handles = {p: (output / name).open("w", encoding="utf-8", newline="")
               for p, name in FEED_FILES.items()}
    try:
        writers = {p: csv_writer(h, delimiter=";", lineterminator="\n")
                   for p, h in handles.items()}
        for writer in writers.values():
            writer.writerow(COLUMNS)
        serial = {p: 0 for p in PROVIDERS}
        for code, requesters in plans.items():
            _write_wave(rng, code, requesters, scale, areas, writers, serial, demo)
    finally:
        for handle in handles.values():
            handle.close()
    return demo


def _waves() -> None:
    for code, fields in WAVES.items():
        if not Wave.objects.filter(code=code).exists():
            create_wave(code, by=ACTOR, providers=list(PROVIDERS), **fields)


def _schools_by_area(rng: random.Random) -> dict[str, list[str]]:
    """Institution numbers per area, by their main location; a sample of the others."""
    areas: dict[str, list[str]] = {area: [] for area in SCHOOL_AREAS}
    mains = (Location.objects.filter(is_main=True).order_by("institution__number")
             .values_list("institution__number", "municipality_id", "province_id"))
    seen = 0
    for number, municipality, province in mains.iterator(chunk_size=5000):
        area = "brussel" if province == "brussel" else CITY_OF.get(municipality or "", "elders")
        if area != "elders":
            areas[area].append(number)
            continue
        seen += 1  # reservoir sampling: the other schools stay a bounded sample
        if len(areas["elders"]) < OTHER_SCHOOLS_KEPT:
            areas["elders"].append(number)
        elif (slot := rng.randrange(seen)) < OTHER_SCHOOLS_KEPT:
            areas["elders"][slot] = number
    return areas


def _split(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to the weights that add up to the total exactly."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights] if whole else [0.0] * len(weights)
    counts = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])[:total - sum(counts)]:
        counts[i] += 1
    return counts


def _requesters(rng: random.Random, wave: str, scale: float,
                areas: dict[str, list[str]]) -> list[Requester]:
    """Who asked in a wave and for how many codes: schools by area, municipalities, OCMWs."""
    total = round(FIGURES[wave][0] * scale)
    fields = WAVES[wave]
    window = (fields["closes_on"] - fields["opens_on"]).days
    spring = wave == "2020-spring"
    kinds = {k: round(total * s) if spring else 0 for k, s in MUNICIPALITY_SHARE.items()}
    present = {a: w for a, w in SCHOOL_AREAS.items() if areas[a]}
    found: list[Requester] = []
    for area, codes in zip(present, _split(total - sum(kinds.values()),
                                           list(present.values())), strict=True):
        wanted = max(1, round(codes / CODES_PER_SCHOOL[wave])) if codes else 0
        chosen = rng.sample(areas[area], min(wanted, len(areas[area])))
        own = demo_school() if spring and area == "elders" and chosen else None
        if own and not any(own.number in areas[a] for a in ("brussel", "antwerpen", "gent")) \
                and own.number not in chosen:
            chosen[0] = own.number  # the demo coordinator's school asked too
        sizes = _split(codes, [rng.uniform(0.3, 1.7) for _ in chosen])
        found += [Requester("school", n, area, c, fields["opens_on"] + timedelta(
            days=int(rng.triangular(0, window, window * 0.2)))) for n, c in zip(
            chosen, sizes, strict=True) if c]
    for kind, codes in kinds.items():
        for (refnis, area, _w), c in zip(MUNICIPALITIES, _split(codes, [w for *_, w in
                                                                        MUNICIPALITIES]),
                                         strict=True):
            if c:
                found.append(Requester(kind, refnis, area, c, fields["opens_on"]
                                       + timedelta(days=rng.randrange(window // 2))))
    for requester in found:
        requester.telenet = round(requester.codes * rng.uniform(0.4, 0.7))
        requester.extra = rng.randrange(1, 6) if rng.random() < 0.08 else 0
    return found


def _record_requests(wave: Wave, requesters: list[Requester]) -> None:
    """Each requester's request and its allocation across providers (once)."""
    for r in requesters:
        lookup = ({"institution__number": r.number} if r.requested_by == "school"
                  else {"municipality_id": r.number, "requested_by": r.requested_by})
        if Request.objects.filter(wave=wave, **lookup).exists():
            continue
        who = ({"institution": Institution.objects.get(number=r.number)}
               if r.requested_by == "school"
               else {"municipality": Municipality.objects.get(code=r.number)})
        request = request_vouchers(wave, r.codes + r.extra, by=ACTOR, on=r.requested_on,
                                   requested_by=r.requested_by, **who)
        allocate(request, {"telenet": r.telenet, "proximus": r.codes - r.telenet}, by=ACTOR)


def _code(provider: str, serial: int) -> str:
    """A code that looks random and never repeats: an odd multiplier permutes 40 bits."""
    value = (serial * 0x9E3779B1 + 0x5DEECE66D) % (1 << 40)
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    text = "".join(alphabet[(value >> shift) & 31] for shift in range(35, -1, -5))
    return f"{PROVIDERS[provider][0]}-{text[:4]}-{text[4:]}"


def _write_wave(rng: random.Random, wave: str, requesters: list[Requester], scale: float,
                areas: dict[str, list[str]], writers: dict[str, SafeWriter],
                serial: dict[str, int], demo: VoucherDemo) -> None:
    """Stream a wave's codes to the feeds with exactly the wave's activations (and, in spring,
    its extensions) drawn without replacement."""
    remaining = sum(r.codes for r in requesters)
    to_activate = min(remaining, round(FIGURES[wave][1] * scale))
    activated_left = to_activate
    to_extend = round(to_activate * EXTENDED_SHARE) if wave == "2020-spring" else 0
    demo.codes[wave], demo.activated[wave], demo.extended = remaining, to_activate, (
        demo.extended + to_extend)
    expires = WAVES[wave]["expires_on"]
    for r in requesters:
        issued = r.requested_on + timedelta(days=rng.randrange(1, 8))
        pupils = iter(range(1, r.codes + 1))
        for n in range(r.codes):
            provider = "telenet" if n < r.telenet else "proximus"
            serial[provider] += 1
            active = rng.random() * remaining < to_activate
            remaining -= 1
            to_activate -= active
            activated = last_used = extended = None
            if active:
                activated = min(issued + timedelta(days=1 + int(rng.expovariate(1 / 9))),
                                expires - timedelta(days=1))
                extend = rng.random() * activated_left < to_extend
                activated_left -= 1
                to_extend -= extend
                last_used = (max(activated, expires - timedelta(days=rng.randrange(0, 25)))
                             if extend else
                             activated + timedelta(days=rng.randrange(0, (expires - activated)
                                                                      .days)))
                extended = EXTENDED_UNTIL if extend else None
            school = r.number if r.requested_by == "school" else (
                rng.choice(areas[r.area]) if areas[r.area] and rng.random() < 0.5 else "")
            handed = r.requested_by == "school" and (active or rng.random() < 0.45)
            ref = f"{rng.randrange(1, 7)}{'ABCD'[rng.randrange(4)]}-{next(pupils):03}"
            writers[provider].writerow([
                provider, _code(provider, serial[provider]), r.requested_by, r.number, school,
                wave, r.requested_on, issued, activated or "", extended or "", expires,
                last_used or "", ref if handed else ""])


# Why the schools say an issued code was not activated (the seed: of 47,000 codes issued in
# spring 2020 only 7,924 were activated); a school records a reason for some of its codes.
REASONS = {"no-longer-needed": 0.34, "declined": 0.18, "no-coverage": 0.08, "pupil-left": 0.07,
           "unknown": 0.33}
REASON_SHARE = 0.55  # of a school's codes issued and not activated


def record_reasons(*, seed: int) -> str:
    """Record the reasons schools gave for a share of their issued codes never activated,
    through the ledger (each audited); running it again changes nothing."""
    rng = random.Random(seed * 1_000_003 + 3)
    codes = (Voucher.objects.filter(requested_by="school", issued_on__isnull=False,
                                    activated_on__isnull=True)
             .order_by("provider_id", "code").values_list("pk", flat=True))
    names, weights = list(REASONS), list(REASONS.values())
    chosen = {pk: rng.choices(names, weights)[0] for pk in codes.iterator(chunk_size=5000)
              if rng.random() < REASON_SHARE}
    noted = note_problems(chosen, by=ACTOR)
    return f"Reasons recorded for {noted:,} voucher codes not activated\n"
