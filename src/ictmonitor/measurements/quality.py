"""The grouped reads of measured quality: what the reports `connectivity-quality`,
`line-status` and `failovers` and the quality pages show, judged by `judgements`.

Figures come from the rollups (a row per line and month for the months a period covers whole,
per line and day for a month covered in part), never from the raw table, except the failover
rows themselves (few: a spell's start and end are times, which a rollup does not keep). A
line's province is its location's own; its level, network, board and school are its
institution's (as the connectivity reports have them).

Periods: `connectivity-quality` judges calendar months, so by `month` it gives every month of
the year (`--year`, else the year of `--at`) up to `--at`, and otherwise the last of those
months (the month of `--at` up to that day; of an earlier `--year`, its December);
`failovers` covers the year (`--year`, else the year of `--at`) up to `--at`; `line-status`
looks at each location's last measurement on `--at`.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ictmonitor.connectivity import selectors as connectivity_selectors
from ictmonitor.measurements import judgements, quality_sql, rollups, schoolhours
from ictmonitor.measurements.judgements import ROLLUP_COLUMNS, Tally, month_of
from ictmonitor.measurements.models import (
    DailyRollup,
    DeviceToken,
    Kind,
    Measurement,
    MonthlyRollup,
)
from ictmonitor.measurements.rollups import JoinedLists, joined
from ictmonitor.registry import selectors as registry_selectors
from ictmonitor.registry.models import Enrolment, Location

BACKUP_MODULE = "backup-line"
# Report dimensions as paths from a rollup (or a raw row: both have `line` and `location`).
LINE_PATHS = {
    **{dim: f"line__location__{path}" for dim, path in registry_selectors.LOCATION_PATHS.items()},
    "provider": "line__provider_id",
    "offer": "line__offer_id",
}
LOCATION_PATHS = dict(registry_selectors.LOCATION_PATHS)
LINE_FACTS = ("line__download_mbps", "line__modules", "line__location__institution_id",
              "line__location__institution__level")


@dataclass(frozen=True)
class Period:
    """The days a figure covers, and the moment time on backup and quiet devices count to."""

    start: date
    end: date
    until: datetime

    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def until_of(at: date) -> datetime:
    """The end of `at` (its last moment, in the measurements' zone), or now if that is sooner."""
    return min(timezone.now(), schoolhours.day_bounds(at)[1])


def quality_period(by: Sequence[str], at: date, year: int | None) -> Period:
    """connectivity-quality's period: by month the year's months (`year`, else that of `at`)
    up to `at`, else the last of them, up to its last day or `at` (a line is judged per
    calendar month): the month of `at`, or December of an earlier `year`."""
    period = year_period(at, year)
    if "month" in by:
        return period
    return Period(max(period.start, period.end.replace(day=1)), period.end, period.until)


def year_period(at: date, year: int | None) -> Period:
    """The calendar year (`year`, else that of `at`) up to `at`."""
    chosen = year or at.year
    end = min(date(chosen, 12, 31), at)
    return Period(date(chosen, 1, 1), end, until_of(end))


@dataclass(slots=True)
class LineMonth:
    """One line in one month: its facts, the values of the breakdown asked that it falls in
    (`key`, in the breakdown's order), its tally."""

    line_id: int
    month: str
    contracted: float | None
    modules: int
    institution_id: int
    level: str | None
    key: tuple[Any, ...]
    tally: Tally = field(default_factory=Tally)
    minutes_on_backup: list[float] = field(default_factory=list)


SUMS = {name: Sum(name) for name in (
    "speed_tests_school_hours", "pings", "pings_reachable", "pings_school_hours",
    "pings_reachable_school_hours", "failovers", "returns")}
MONTH_COLUMNS = (*SUMS, "measured_download", "measured_upload")


def month_pieces(period: Period) -> tuple[list[date], list[tuple[date, date]]]:
    """The period's calendar months read whole from the month rollups (those it covers whole,
    and those it covers in part with no day rollup outside the part: the month of today) and
    the (first, last) days of the others, read from the day rollups."""
    whole: list[date] = []
    partial: list[tuple[date, date]] = []
    month = rollups.month_start(period.start)
    while month <= period.end:
        end = rollups.month_end(month)
        first, last = max(month, period.start), min(end, period.end)
        outside = Q(day__gte=month, day__lt=first) | Q(day__gt=last, day__lte=end)
        if (first, last) == (month, end) or not DailyRollup.objects.filter(outside).exists():
            whole.append(month)
        else:
            partial.append((first, last))
        month = end + timedelta(days=1)
    return whole, partial


class MonthFigures(NamedTuple):
    """One line's month as the rollups give it: its facts, the values of the breakdown asked
    (`key`, in its order), the counts and the measured speeds (medians)."""

    line_id: int
    month: str
    contracted: float | None
    modules: int
    institution_id: int
    level: str | None
    key: tuple[Any, ...]
    speed_tests: int  # on the primary path in school hours
    pings: int
    pings_reachable: int
    pings_school_hours: int
    pings_reachable_school_hours: int
    failovers: int
    returns: int
    download: float | None
    upload: float | None

    def tally(self) -> Tally:
        return Tally(self.speed_tests, [], [], self.pings, self.pings_reachable,
                     self.pings_school_hours, self.pings_reachable_school_hours,
                     self.failovers, self.returns, None, (self.download, self.upload))


def month_figures(period: Period, by: Sequence[str], where: Q | None = None,
                  ) -> list[MonthFigures]:
    """Every line measured in the period, per month: the months the period covers whole from
    their month rollups (a row per line and month, its measured speed kept), a month covered
    in part from its day rollups (added up by the database per line and month, the speed lists
    joined into one text, their medians taken here)."""
    dims = [d for d in by if d != "month"]
    columns = ["line_id", "month", *LINE_FACTS, *(LINE_PATHS[d] for d in dims)]
    width = len(columns)
    key = _Keys(by)
    found: list[MonthFigures] = []
    whole, partial = month_pieces(period)
    if whole:
        months = _whole_months(whole, where)
        for row in _tuples(months.order_by().values_list(*columns, *MONTH_COLUMNS)):
            month = _month_code(row[1])
            found.append(MonthFigures(row[0], month, row[2], row[3] or 0, row[4], row[5],
                                      key(row, month), *row[width:]))
    for first, last_day in partial:
        days = _days_of(first, last_day, where)
        grouped = (days.order_by().annotate(month=TruncMonth("day")).values(*columns)
                   .annotate(**SUMS, downloads=JoinedLists("download_school_hours"),
                             uploads=JoinedLists("upload_school_hours"))
                   .values_list(*columns, *SUMS, "downloads", "uploads"))
        for row in grouped:
            month = month_of(row[1])
            downloads, uploads = joined(row[-2]), joined(row[-1])
            tests, pings, reachable, pings_school, reachable_school, failovers, returns = (
                int(n or 0) for n in row[width:-2])
            found.append(MonthFigures(
                row[0], month, row[2], row[3] or 0, row[4], row[5],
                key(row, month), tests, pings, reachable, pings_school,
                reachable_school, failovers, returns, judgements.median(downloads),
                judgements.median(uploads)))
    return found


def _whole_months(whole: Sequence[date], where: Q | None) -> QuerySet[MonthlyRollup]:
    """The month rollups of the lines (of `where`) for the months from whole[0] to whole[-1]."""
    months = MonthlyRollup.objects.filter(line__isnull=False, month__gte=whole[0],
                                          month__lte=whole[-1])
    return months if where is None else months.filter(where)


def _days_of(first: date, last: date, where: Q | None) -> QuerySet[DailyRollup]:
    """The day rollups of the lines (of `where`) from `first` to `last`."""
    days = DailyRollup.objects.filter(line__isnull=False, day__gte=first, day__lte=last)
    return days if where is None else days.filter(where)


def line_months(period: Period, by: Sequence[str], where: Q | None = None,
                ) -> dict[tuple[int, str], LineMonth]:
    """Every line measured in the period, per month (month_figures), with its tally and its
    spells on backup."""
    found = {(f.line_id, f.month): LineMonth(f.line_id, f.month, f.contracted, f.modules,
                                             f.institution_id, f.level, f.key, f.tally())
             for f in month_figures(period, by, where)}
    for (line_id, month), minutes in backup_minutes(period, where).items():
        if (line_id, month) in found:
            found[(line_id, month)].minutes_on_backup.extend(minutes)
    return found


def backup_minutes(period: Period, where: Q | None = None,
                   ) -> dict[tuple[int, str], list[float]]:
    """(line, month) → the minutes on backup of each spell that started then."""
    found: dict[tuple[int, str], list[float]] = defaultdict(list)
    for spell in spells(period, where):
        key = (spell.line_id or 0, month_of(schoolhours.local_day(spell.started_at)))
        found[key].append(spell.minutes(period.until))
    return found


class _Keys:
    """The breakdown's values of each line-month read (the others than month at 6, in the
    breakdown's order), as codes: each distinct key made once (there are few)."""

    def __init__(self, by: Sequence[str]) -> None:
        self.by = tuple(by)
        self.month = self.by.index("month") if "month" in self.by else None
        self.end = 6 + len(self.by) - (self.month is not None)
        self.made: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def __call__(self, row: Sequence[Any], month: str) -> tuple[Any, ...]:
        at = self.month
        raw = (tuple(row[6:self.end]) if at is None
               else (*row[6:6 + at], month, *row[6 + at:self.end]))
        key = self.made.get(raw)
        if key is None:
            key = self.made[raw] = tuple(_code(value) for value in raw)
        return key


def _tuples(rows: Any) -> list[tuple[Any, ...]]:
    """A values_list's rows straight from the cursor, without Django's converters (tens of
    thousands of line-months: numbers and codes; a date as the database gives it)."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a condition no row can meet (lines of no school)
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@functools.lru_cache(maxsize=1024)
def _month_code(day: date | str) -> str:
    """A month's code from its first day (a date, or SQLite's text of one)."""
    return day[:7] if isinstance(day, str) else month_of(day)


def spells(period: Period, where: Q | None = None) -> list[judgements.Failover]:
    """The spells on backup of lines that started in the period (counted up to its `until`)."""
    start = schoolhours.day_bounds(period.start)[0]
    rows = Measurement.objects.filter(kind=Kind.FAILOVER, line__isnull=False,
                                      measured_at__gte=start, measured_at__lt=period.until)
    if where is not None:
        rows = rows.filter(where)
    ordered = rows.order_by("line_id", "location_id", "device", "measured_at").values_list(
        "line_id", "location_id", "device", "measured_at", "path")
    return judgements.failover_spells(ordered)


def connectivity_quality(by: Sequence[str], at: date, year: int | None = None,
                         where: Q | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The rows and totals of connectivity-quality; `where` narrows the lines (a provider's).
    Every line-month of the period judged and added up by the database in one grouped query
    (quality_sql.py); Python pairs the few failover rows into spells and makes the shares,
    rounding and hours of the rows the query gives. By month, the totals give no median (a
    median over lines is not added up across months; the report leaves every stock's total
    empty then)."""
    period = quality_period(by, at, year)
    dims = [d for d in by if d != "month"]
    pieces = _line_month_pieces(period, dims, where)
    if not pieces:  # no line of the lines asked (`where` names none)
        return [], _quality_measures((0,) + (None,) * (len(quality_sql.FIGURES) - 1))
    columns = ["month" if d == "month" else f"k{dims.index(d)}" for d in by]
    minutes = {(line_id, f"{month}-01"): sum(spent)
               for (line_id, month), spent in backup_minutes(period, where).items()}
    across_months = "month" in by  # the totals add months up: no median over them
    sql, params = quality_sql.grouped_sql(connection.vendor, pieces, columns, len(dims),
                                          _judging(), minutes, total_median=not across_months)
    rows: list[dict[str, Any]] = []
    totals: dict[str, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for total, *values in cursor.fetchall():
            figures = _quality_measures(values[len(by):])
            if total:
                totals = figures
                if across_months:
                    totals["median_download_mbps"] = None
                continue
            key = [_month_code(v) if d == "month" else _code(v)
                   for d, v in zip(by, values, strict=False)]
            rows.append({**dict(zip(by, key, strict=True)), **figures})
    if not by and totals["lines_measured"]:
        rows = [dict(totals)]
    return rows, totals


def _line_month_pieces(period: Period, dims: Sequence[str], where: Q | None,
                       ) -> list[quality_sql.Piece]:
    """The period's line-months as pieces of the grouped query: the months read whole from
    their month rollups, a month covered in part from its day rollups (month_pieces)."""
    facts = ["line__download_mbps", "line__location__institution_id",
             "line__location__institution__level", *(LINE_PATHS[d] for d in dims)]
    pieces = []
    whole, partial = month_pieces(period)
    if whole:
        months = _whole_months(whole, where)
        found = _sql(months.order_by().values_list(
            "line_id", "month", *facts, "speed_tests_school_hours", "measured_download",
            "measured_upload", "pings_school_hours", "pings_reachable_school_hours"))
        if found is not None:
            pieces.append(quality_sql.whole_piece(*found))
    for n, (first, last) in enumerate(partial):
        days = _days_of(first, last, where)
        found = _sql(days.order_by().values("line_id", *facts).annotate(
            month_tests=Sum("speed_tests_school_hours"), month_pings=Sum("pings_school_hours"),
            month_reachable=Sum("pings_reachable_school_hours"))
            .values_list("line_id", *facts, "month_tests", "month_pings", "month_reachable"))
        if found is not None:
            medians = {line_id: (judgements.median(joined(downloads)),
                                 judgements.median(joined(uploads)))
                       for line_id, downloads, uploads in days.order_by().values("line_id")
                       .annotate(downloads=JoinedLists("download_school_hours"),
                                 uploads=JoinedLists("upload_school_hours"))
                       .values_list("line_id", "downloads", "uploads")}
            pieces.append(quality_sql.partial_piece(
                n, connection.vendor, rollups.month_start(first).isoformat(), *found,
                keys=len(dims), medians=medians))
    return pieces


def _judging() -> quality_sql.Judging:
    """The contract's rule and the standard in force, for the grouped query; the schools'
    pupils of the latest school year only when the standard has a rule per pupil."""
    standard = connectivity_selectors.standard_query()
    year = registry_selectors.latest_school_year() if standard.per_pupil else None
    pupils = None
    if year is not None:
        pupils = _sql(Enrolment.objects.filter(school_year=year).order_by()
                      .values("location__institution_id").annotate(n=Sum("pupils"))
                      .values_list("location__institution_id", "n"))
    outcome = standard.outcome(need_down="f.download", need_up="f.upload",
                               pupils="p.pupils" if pupils is not None else "NULL",
                               download="coalesce(lm.download, 0)", upload="lm.upload")
    return quality_sql.Judging(judgements.MIN_SPEED_TESTS, judgements.CONTRACT_SHARE,
                               standard.levels, outcome, pupils)


def _sql(rows: Any) -> tuple[str, Sequence[Any]] | None:
    """A queryset's SQL and parameters; None for a condition no row can meet."""
    try:
        return rows.query.sql_with_params()
    except EmptyResultSet:  # lines of no school
        return None


def _quality_measures(values: Sequence[Any]) -> dict[str, Any]:
    """connectivity-quality's measures from a group's figures as the grouped query adds them
    up (contracts/measurements.md: a speed over lines is the median of their measured speeds,
    a share counts lines (those judged), availability is the ratio over all their pings, time
    on backup adds up)."""
    lines, middle, judged, contract_judged, contract_met, standard_judged, standard_met, \
        pings, reachable, minutes = values
    count = int(lines or 0)
    return {
        "lines_measured": count,
        "median_download_mbps": None if middle is None else round(float(middle), 2),
        "meets_contract_share": judgements.ratio(int(contract_met or 0),
                                                 int(contract_judged or 0)),
        "meets_standard_share": judgements.ratio(int(standard_met or 0),
                                                 int(standard_judged or 0)),
        "lines_too_few_tests": count - int(judged or 0),
        "availability_school_hours": judgements.ratio(int(reachable or 0), int(pings or 0)),
        "hours_on_backup": round(float(minutes or 0) / 60, 2),
    }


def failover_figures(by: Sequence[str], at: date, year: int | None = None,
                     ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The rows and totals of failovers over lines with the backup-line module measured in
    the period: the failover rows to backup, the lines with none, the median spell."""
    period = year_period(at, year)
    bit = next((m.bit for m in connectivity_selectors.modules() if m.code == BACKUP_MODULE), 0)
    found = [e for e in line_months(period, by).values() if e.modules & bit]
    groups: dict[tuple[Any, ...], list[LineMonth]] = defaultdict(list)
    for entry in found:
        groups[entry.key].append(entry)
    rows = [{**dict(zip(by, key, strict=True)), **_failover_measures(entries)}
            for key, entries in groups.items()]
    return rows, _failover_measures(found)


def _failover_measures(entries: Sequence[LineMonth]) -> dict[str, Any]:
    """A line counts once in a group however many months it has there."""
    failovers: dict[int, int] = defaultdict(int)
    for entry in entries:
        failovers[entry.line_id] += entry.tally.failovers
    minutes = judgements.median([m for e in entries for m in e.minutes_on_backup])
    return {
        "lines_with_backup": len(failovers),
        "failovers": sum(failovers.values()),
        "lines_never_failed_over": sum(1 for n in failovers.values() if n == 0),
        "median_minutes_on_backup": None if minutes is None else round(minutes, 1),
    }


def last_measured(at: date) -> dict[int, datetime]:
    """Each location's last measurement on or before `at` (from its rollups, any line): the
    month rollups of the months before that of `at`, the day rollups of its month."""
    month = rollups.month_start(at)
    found: dict[int, datetime] = {}
    for rows in (MonthlyRollup.objects.filter(month__lt=month),
                 DailyRollup.objects.filter(day__gte=month, day__lte=at)):
        for location_id, last in (rows.order_by().values("location_id")
                                  .annotate(last=Max("last_measured_at"))
                                  .values_list("location_id", "last")):
            if location_id not in found or last > found[location_id]:
                found[location_id] = last
    return found


def line_status(by: Sequence[str], at: date, where: Q | None = None,
                ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per group of locations (those with a line active on `at` or measured by then; `where`
    narrows them, paths from a location): how many are live, at risk, dropped or never
    measured, and the last measurement and its status."""
    until = until_of(at)
    lasts = last_measured(at)
    active = Location.objects.filter(
        Q(lines__started_on__lte=at) & (Q(lines__ended_on__isnull=True)
                                        | Q(lines__ended_on__gte=at))).values("pk")
    locations = Location.objects.filter(Q(pk__in=active) | Q(pk__in=list(lasts))).order_by()
    if where is not None:
        locations = locations.filter(where)
    groups: dict[tuple[Any, ...], list[datetime | None]] = defaultdict(list)
    everything: list[datetime | None] = []
    named = "school" in by
    names: dict[str, str] = {}
    columns = [LOCATION_PATHS[d] for d in by] + (["institution__name"] if named else [])
    for pk, *values in locations.values_list("pk", *columns):
        key = tuple(_code(v) for v in values[:len(by)])
        if named:
            names[key[by.index("school")]] = values[-1]
        groups[key].append(lasts.get(pk))
        everything.append(lasts.get(pk))
    rows = registry_selectors.NamedRows(
        [{**dict(zip(by, key, strict=True)), **_status_measures(found, until)}
         for key, found in groups.items()])
    if named:
        rows.names = {"school": names}
    return rows, _status_measures(everything, until)


def _status_measures(lasts: Sequence[datetime | None], until: datetime) -> dict[str, Any]:
    statuses = [judgements.reporting_status(last, until) for last in lasts]
    latest = max((last for last in lasts if last is not None), default=None)
    return {
        "locations": len(lasts),
        "live": statuses.count(judgements.LIVE),
        "at_risk": statuses.count(judgements.AT_RISK),
        "dropped": statuses.count(judgements.DROPPED),
        "never": statuses.count(judgements.NEVER),
        "last_measured_at": (None if latest is None else
                             latest.astimezone(schoolhours.zone()).isoformat(timespec="seconds")),
        "status": judgements.reporting_status(latest, until),
    }


def _code(value: Any) -> Any:
    """Dimension values as stable codes: booleans as 'true'/'false'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def serving_lines(location_ids: set[int], day: date) -> dict[int, tuple[int, str]]:
    """Location id → (line id, provider code) of the line measured there most recently up to
    `day`, for the locations given that have one."""
    found: dict[int, tuple[int, str]] = {}
    rows = (DailyRollup.objects.filter(location_id__in=location_ids, line__isnull=False,
                                       day__lte=day)
            .order_by("location_id", "-day").values_list("location_id", "line_id",
                                                         "line__provider_id"))
    for location_id, line_id, provider_id in rows:
        found.setdefault(location_id, (line_id, provider_id))
    return found


# The pages: one school's lines, month by month and day by day; a provider's scorecard.
PAGE_MONTHS = 12
PAGE_DAYS = 31


@dataclass
class MonthVerdict:
    """One line's calendar month as the school's page shows it."""

    month: str
    tally: Tally
    contracted: float | None
    meets_contract: bool | None
    share_of_contract: float | None
    standard: Any  # connectivity's standards.Verdict, None when not judged
    failovers: int
    hours_on_backup: float


@dataclass
class DayFigures:
    """One line's day: its tally and measured speed as a share of the contract."""

    day: date
    tally: Tally
    share_of_contract: float | None


@dataclass
class LineQuality:
    """A line of the school with what was measured on it."""

    line: Any
    months: list[MonthVerdict]
    days: list[DayFigures]

    @property
    def current(self) -> MonthVerdict | None:
        """The most recent month with figures."""
        return self.months[0] if self.months else None

    @property
    def chart(self) -> DayChart:
        """The last 31 days' measured download against the contract, drawn as bars."""
        return DayChart.of(self.days)


@dataclass(frozen=True)
class DayChart:
    """Bars of measured download as a share of the contract per day (oldest first), with the
    100 % and 80 % marks, in SVG units; the page's table gives the same figures in words."""

    bars: list[tuple[float, float, float, bool]]  # x, y, height, below 80 %
    width: float
    contract_y: float
    threshold_y: float

    HEIGHT = 120.0
    TOP_SHARE = 1.5  # the top of the chart: 150 % of the contract
    BAR = 12.0
    GAP = 3.0

    @classmethod
    def of(cls, days: Sequence[DayFigures]) -> DayChart:
        bars = []
        for n, day in enumerate(sorted((d for d in days if d.share_of_contract is not None),
                                       key=lambda d: d.day)):
            share = min(day.share_of_contract or 0, cls.TOP_SHARE)
            height = cls.HEIGHT * share / cls.TOP_SHARE
            bars.append((n * (cls.BAR + cls.GAP), cls.HEIGHT - height, height,
                         share < judgements.CONTRACT_SHARE))
        return cls(bars, max(len(bars), 1) * (cls.BAR + cls.GAP),
                   cls.HEIGHT * (1 - 1 / cls.TOP_SHARE),
                   cls.HEIGHT * (1 - judgements.CONTRACT_SHARE / cls.TOP_SHARE))


def months_back(today: date, count: int) -> date:
    """The first day of the month `count - 1` months before today's."""
    year, month = today.year, today.month - (count - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def school_quality(user: Any, institution: Any, today: date) -> list[LineQuality]:
    """The school's lines this user may see that were measured in the last twelve months,
    each with its months (newest first) and its last 31 days."""
    lines = {line.pk: line for line in connectivity_selectors.visible_lines(user)
             .filter(location__institution=institution).order_by("location__number", "pk")}
    period = Period(months_back(today, PAGE_MONTHS), today, until_of(today))
    where = Q(line_id__in=list(lines))
    entries = line_months(period, (), where)
    found: dict[int, LineQuality] = {}
    for (line_id, _month), entry in sorted(entries.items(), key=lambda kv: kv[0][1],
                                           reverse=True):
        quality = found.setdefault(line_id, LineQuality(lines[line_id], [], []))
        tally = entry.tally
        standard = None
        if tally.judged:
            standard = connectivity_selectors.meets_standard(
                institution, tally.measured_download or 0, tally.measured_upload)
        quality.months.append(MonthVerdict(
            entry.month, tally, entry.contracted,
            judgements.meets_contract(tally, entry.contracted),
            judgements.share_of_contract(tally, entry.contracted), standard, tally.failovers,
            round(sum(entry.minutes_on_backup) / 60, 2)))
    since = today - timedelta(days=PAGE_DAYS - 1)
    days = (DailyRollup.objects.filter(line_id__in=list(found), day__gte=since, day__lte=today)
            .order_by("line_id", "-day").values_list("line_id", "day", *ROLLUP_COLUMNS))
    for line_id, day, *values in days:
        tally = Tally()
        tally.add(values)
        contracted = lines[line_id].download_mbps
        found[line_id].days.append(
            DayFigures(day, tally, judgements.share_of_contract(tally, contracted)))
    return [found[pk] for pk in lines if pk in found]


@dataclass(frozen=True)
class DeviceStatus:
    """A measuring device at a location: its last measurement and reporting status."""

    location_id: int
    device: str
    last_measured_at: datetime | None
    status: str


def device_statuses(location_ids: Sequence[int], now: datetime) -> list[DeviceStatus]:
    """The devices measuring at these locations (any that ever posted, and those holding a
    token in force), by location and device, with their reporting status."""
    lasts = dict(((loc, dev), last) for loc, dev, last in
                 Measurement.objects.filter(location_id__in=list(location_ids)).order_by()
                 .values("location_id", "device").annotate(last=Max("measured_at"))
                 .values_list("location_id", "device", "last"))
    for loc, dev in DeviceToken.objects.filter(location_id__in=list(location_ids),
                                               revoked_at__isnull=True).values_list(
            "location_id", "device"):
        lasts.setdefault((loc, dev), None)
    return [DeviceStatus(loc, dev, last, judgements.reporting_status(last, now))
            for (loc, dev), last in sorted(lasts.items())]


def quiet_locations(provider: str | None, at: date) -> list[tuple[Any, datetime | None, str]]:
    """(location, last measurement, status) of the locations of lines active on `at` (of one
    provider, when given) that are at risk, dropped or never measured."""
    lasts = last_measured(at)
    until = until_of(at)
    active = Q(lines__started_on__lte=at) & (Q(lines__ended_on__isnull=True)
                                             | Q(lines__ended_on__gte=at))
    if provider is not None:
        active &= Q(lines__provider_id=provider)
    found = []
    locations = (Location.objects.filter(active).distinct().select_related("institution")
                 .only("name", "number", "institution__name", "institution__number")
                 .order_by("institution__name", "number"))
    for location in locations:
        last = lasts.get(location.pk)
        status = judgements.reporting_status(last, until)
        if status != judgements.LIVE:
            found.append((location, last, status))
    return found


@dataclass
class BoardSchool:
    """One school of a board side by side with the others: its measured lines this month and
    last month (connectivity-quality's figures) and its locations' reporting status."""

    institution: Any
    this_month: dict[str, Any] | None
    last_month: dict[str, Any] | None
    status: dict[str, Any] | None


def board_quality(schools: Any, today: date) -> list[BoardSchool]:
    """The schools given (a board's), each with its measured quality this month and the last
    complete month and its devices' status, by name."""
    listed = list(schools.order_by("name", "number"))
    lines = Q(line__location__institution__in=[s.pk for s in listed])
    last_day = today.replace(day=1) - timedelta(days=1)
    this_month = {r["school"]: r for r in connectivity_quality(("school",), today, None,
                                                               lines)[0]}
    last_month = {r["school"]: r for r in connectivity_quality(("school",), last_day, None,
                                                               lines)[0]}
    status = {r["school"]: r for r in line_status(
        ("school",), today, Q(institution__in=[s.pk for s in listed]))[0]}
    return [BoardSchool(s, this_month.get(s.number), last_month.get(s.number),
                        status.get(s.number)) for s in listed]
