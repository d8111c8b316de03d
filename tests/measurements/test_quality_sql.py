"""connectivity-quality's one grouped query (measurements/quality_sql.py) gives, for every
breakdown, the figures the Python definitions give line-month by line-month over the same
rollups: `quality.line_months` (the failovers report's and the school page's reading, failover
spells included), `judgements` and `standards.outcome` with the schools' pupils.

Four schools in two provinces (primary with pupils, secondary, a level without a figure,
primary without a count), six lines of two providers and offers, contracts of 100, 1000,
3 (0.8 × 3 is 2.4000000000000004 as a double: a line measured at exactly 2.4 misses it) and
none; three months of day rollups with even and odd counts of speeds, months with fewer than
10 tests, without pings and without speeds; failover spells closed and open. Read with March
covered in part (day rollups after the reference date) and whole, with the standard with and
without a rule per pupil.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db.models import Q
from django.utils import timezone

from ictmonitor.connectivity import standards
from ictmonitor.connectivity.models import Module, Offer, Provider, Subscription
from ictmonitor.measurements import judgements, quality, rollups, schoolhours
from ictmonitor.measurements.models import DailyRollup, Kind, Measurement
from ictmonitor.registry import selectors as registry_selectors
from ictmonitor.registry.models import Enrolment, Institution, Location, Province
from tests.measurements.conftest import stamp

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)
BREAKDOWNS = [("province", "month"), ("level",), ("month",), (), ("school",),
              ("provider", "offer", "month")]


@pytest.fixture
def lines(db: None) -> list[Subscription]:
    provinces = list(Province.objects.order_by("code")[:2])
    providers = list(Provider.objects.order_by("code")[:2])
    offers = list(Offer.objects.order_by("position")[:2])
    backup = Module.objects.get(code="backup-line").bit
    schools = []
    for n, (level, province, pupils) in enumerate(
            (("basis", 0, 200), ("secundair", 0, 50), ("volwassenen", 1, 80), ("basis", 1, None))):
        school = Institution.objects.create(number=f"90{n}", country="BE", name=f"School {n}",
                                            level=level, province=provinces[province], **stamp())
        location = Location.objects.create(institution=school, number="1", name="Hoofd",
                                           is_main=True, province=provinces[province], **stamp())
        if pupils is not None:
            Enrolment.objects.create(location=location, school_year="2025-2026", level="lager",
                                     pupils=pupils, **stamp())
        schools.append(location)
    found = []
    for n, (school, down, up, modules) in enumerate((
            (0, 100, 30, backup), (0, 3, 1, 0), (1, 1000, 1000, backup), (2, 500, 100, 0),
            (3, 0, 20, 0), (3, 150, 40, backup))):
        found.append(Subscription.objects.create(
            provider=providers[n % 2], contract_id=f"Q-{n}", location=schools[school],
            offer=offers[n % 2], download_mbps=down, upload_mbps=up, modules=modules,
            started_on=date(2025, 1, 1), **stamp()))
    _rollups(found)
    _failovers(found)
    return found


def _rollups(lines: Sequence[Subscription]) -> None:
    rng = random.Random(16)
    made = []
    for line in lines:
        scale = line.download_mbps or 100
        day = FIRST
        while day <= LAST:
            tests = 0 if line.contract_id == "Q-4" and day.month == 2 else rng.choice((0, 1, 2, 3))
            if line.contract_id == "Q-3" and day.month == 1:
                tests = min(tests, 1)  # fewer than 10 in January
            if line.contract_id == "Q-1":  # measured at exactly 2.4 in March
                downs = [2.4] * tests if day.month == 3 else [rng.choice((0.1, 0.7, 2.4, 3.0))
                                                              for _ in range(tests)]
            else:
                downs = [round(scale * rng.uniform(0.5, 1.2), rng.choice((0, 1, 2)))
                         for _ in range(tests)]
            ups = [round(line.upload_mbps * rng.uniform(0.5, 1.2), 1) for _ in range(tests)]
            pings = 0 if day.month == 2 and line.contract_id == "Q-2" else rng.choice((0, 4, 8))
            start = schoolhours.day_bounds(day)[0]
            made.append(DailyRollup(
                location_id=line.location_id, line=line, day=day, speed_tests=tests,
                speed_tests_school_hours=tests, download_school_hours=sorted(downs),
                upload_school_hours=sorted(ups), pings=pings + 2,
                pings_reachable=max(pings - 1, 0), pings_school_hours=pings,
                pings_reachable_school_hours=max(pings - rng.choice((0, 1)), 0),
                first_measured_at=start + timedelta(hours=9),
                last_measured_at=start + timedelta(hours=16)))
            day += timedelta(days=1)
    DailyRollup.objects.bulk_create(made)
    rollups.refresh_months({(line.location_id, month) for line in lines
                            for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))})


def _failovers(lines: Sequence[Subscription]) -> None:
    """Spells on the backup lines: closed ones (a second row to backup inside one changes
    nothing), one across midnight at a month's end, one still open in March."""
    zone = schoolhours.zone()
    rows = []
    for line, spells in ((lines[0], [("2026-01-12T10:00", "2026-01-12T10:45"),
                                     ("2026-01-31T23:30", "2026-02-01T01:10"),
                                     ("2026-03-09T09:00", None)]),
                         (lines[2], [("2026-02-03T08:00", "2026-02-03T08:00:30"),
                                     ("2026-03-20T11:00", "2026-03-20T12:00")])):
        for started, ended in spells:
            moments = [(datetime.fromisoformat(started).replace(tzinfo=zone), "backup")]
            moments.append((moments[0][0] + timedelta(minutes=5), "backup"))
            if ended is not None:
                moments.append((datetime.fromisoformat(ended).replace(tzinfo=zone), "primary"))
            rows += [Measurement(location_id=line.location_id, device="pi-1", measured_at=moment,
                                 kind=Kind.FAILOVER, path=path, line=line,
                                 received_at=timezone.now()) for moment, path in moments]
    Measurement.objects.bulk_create(rows)


def expected(by: Sequence[str], at: date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """connectivity-quality as the Python definitions give it, line-month by line-month."""
    period = quality.quality_period(by, at, None)
    entries = list(quality.line_months(period, by).values())
    standard, levels = standards.in_force()
    year = registry_selectors.latest_school_year()
    pupils = registry_selectors.pupils_of_institutions({e.institution_id for e in entries},
                                                       year) if year else {}
    counted = []
    for entry in entries:
        tally = entry.tally
        meets = None
        if tally.judged:
            meets = standards.outcome(
                standard, levels, registry_level=entry.level,
                pupils=pupils.get(entry.institution_id) if standard.per_pupil else None,
                download_mbps=tally.measured_download or 0, upload_mbps=tally.measured_upload)
        counted.append((entry.key, tally.measured_download, tally.judged,
                        judgements.meets_contract(tally, entry.contracted), meets,
                        tally.pings_school_hours, tally.pings_reachable_school_hours,
                        sum(entry.minutes_on_backup)))
    groups: dict[tuple[Any, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for line in counted:
        groups[line[0]].append(line)
    rows = [{**dict(zip(by, key, strict=True)), **_measures(found)}
            for key, found in groups.items()]
    totals = _measures(counted)
    if "month" in by:
        totals["median_download_mbps"] = None  # not over months
    return rows, totals


def _measures(lines: Sequence[tuple[Any, ...]]) -> dict[str, Any]:
    speeds = [line[1] for line in lines if line[1] is not None]
    contract = [line[3] for line in lines if line[3] is not None]
    standard = [line[4] for line in lines if line[4] is not None]
    middle = judgements.median(speeds)
    return {
        "lines_measured": len(lines),
        "median_download_mbps": None if middle is None else round(middle, 2),
        "meets_contract_share": judgements.ratio(sum(contract), len(contract)),
        "meets_standard_share": judgements.ratio(sum(standard), len(standard)),
        "lines_too_few_tests": sum(1 for line in lines if not line[2]),
        "availability_school_hours": judgements.ratio(sum(line[6] for line in lines),
                                                      sum(line[5] for line in lines)),
        "hours_on_backup": round(sum(line[7] for line in lines) / 60, 2),
    }


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: str(sorted(row.items())))


@pytest.mark.parametrize("code", ["dfe-2022", "dfe-2022-per-pupil"])
def test_the_grouped_query_gives_the_figures_of_the_python_definitions(lines, settings, code):
    settings.CONNECTIVITY_STANDARD = code
    seen = set()
    for at in (date(2026, 3, 17), date(2026, 3, 31), date(2026, 2, 28)):
        for by in BREAKDOWNS:
            rows, totals = quality.connectivity_quality(by, at)
            want_rows, want_totals = expected(by, at)
            assert _sorted(rows) == _sorted(want_rows), (at, by)
            assert totals == want_totals, (at, by)
            seen |= {(name, value) for row in rows for name, value in row.items()
                     if name.endswith("_share") or name == "hours_on_backup"}
    # the set reaches every kind of answer: shares met and missed, none judged, backup time
    shares = {value for name, value in seen if name.endswith("_share")}
    assert None in shares and 0.0 in shares and any(v not in (None, 0.0) for v in shares)
    assert any(name == "hours_on_backup" and value > 0 for name, value in seen)


def test_a_contract_of_3_is_missed_at_exactly_2_4(lines):
    """0.8 × 3 as doubles is 2.4000000000000004: March's 2.4 misses (a decimal 0.8 × 3 would
    meet it)."""
    rows, _totals = quality.connectivity_quality(("provider", "month"), date(2026, 3, 31),
                                                 where=Q(line_id=lines[1].pk))
    (march,) = [r for r in rows if r["month"] == "2026-03"]
    assert (march["median_download_mbps"], march["meets_contract_share"]) == (2.4, 0.0)


def test_the_totals_by_month_give_no_median_over_months(lines):
    """A median over lines is not added up across months; other totals are (hours)."""
    _rows, totals = quality.connectivity_quality(("month",), date(2026, 3, 31))
    assert totals["median_download_mbps"] is None and totals["hours_on_backup"] > 0
    _rows, totals = quality.connectivity_quality(("level",), date(2026, 3, 31))
    assert totals["median_download_mbps"] is not None


def test_lines_of_no_school_give_empty_figures(lines):
    rows, totals = quality.connectivity_quality(("province",), date(2026, 3, 31),
                                                where=Q(line_id__in=[]))
    assert rows == [] and totals["lines_measured"] == 0 and totals["hours_on_backup"] == 0
