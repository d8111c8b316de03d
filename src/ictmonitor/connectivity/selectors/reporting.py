"""The grouped reads the connectivity reports need: lines, schools, modules and requests.

Every figure is computed in the database with GROUP BY. A line's province is its location's own;
its level, network and board are its institution's; an institution counts once per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.lookups import GreaterThan

from ictmonitor.connectivity.models import Module, Offer, Subscription
from ictmonitor.registry.selectors import LOCATION_PATHS, NamedRows, grouped, grouped_tuples

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

LINE_PATHS = {
    **{dim: f"location__{path}" for dim, path in LOCATION_PATHS.items()},
    "offer": "offer_id",
    "provider": "provider_id",
}
# A school's row (school-modules): its own level and its main location's province.
SCHOOL_PATHS = {**LINE_PATHS, "province": "location__institution__province_id"}
REQUEST_PATHS = {**LINE_PATHS, "month": "request_month", "year": "request_year",
                 "period": "request_period"}
DISTINCT_SCHOOLS = Count("location__institution", distinct=True)


class DateText(Func):
    """A date as text in a pattern: `YYYY-MM` or `YYYY` (strftime / to_char)."""

    output_field = CharField()
    PATTERNS = {"month": ("%Y-%m", "YYYY-MM"), "year": ("%Y", "YYYY")}

    def __init__(self, expression: Any, unit: str) -> None:
        self.unit = unit
        super().__init__(expression)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper,
                  **extra: Any) -> _AsSqlType:
        """strftime(pattern, date)."""
        pattern = Value(self.PATTERNS[self.unit][0])
        return Func(pattern, *self.source_expressions, function="strftime",
                    output_field=CharField()).as_sql(compiler, connection, **extra)

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper,
               function: str | None = None, template: str | None = None,
               arg_joiner: str | None = None, **extra: Any) -> _AsSqlType:
        """to_char(date, pattern) elsewhere (PostgreSQL)."""
        pattern = Value(self.PATTERNS[self.unit][1])
        return Func(*self.source_expressions, pattern, function="to_char",
                    output_field=CharField()).as_sql(compiler, connection, function=function,
                                                     template=template,
                                                     arg_joiner=arg_joiner, **extra)


def active_lines(at: date) -> QuerySet[Subscription]:
    """Lines active on a day: started on or before it, and not ended before it."""
    return Subscription.objects.filter(
        Q(started_on__lte=at) & (Q(ended_on__isnull=True) | Q(ended_on__gte=at)))


def count_lines(by: Sequence[str], at: date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Distinct schools and lines active on a day, per dimension values, and the totals; with
    `month` among the dimensions, each month's are those active on its last day (or `at`).
    Every row also gives the lines started and ended: in its month, else up to `at` (a cell
    with no active line is left out unless by month; the totals count every line)."""
    others = [d for d in by if d != "month"]
    measures = {"schools": DISTINCT_SCHOOLS, "lines": Count("pk")}
    totals = grouped(active_lines(at), LINE_PATHS, (), **measures)[0]
    cells: dict[tuple[Any, ...], dict[str, Any]] = {}
    for month, day in _months_until(at) if "month" in by else [(None, at)]:
        for row in grouped(active_lines(day), LINE_PATHS, others, **measures):
            if month is not None:
                row["month"] = month
            cells[tuple(row[d] for d in by)] = row
    totals.update(dict.fromkeys(FLOWS, 0))
    for flows in _line_flows(by, at):
        for row in flows:
            counted = {m: row[m] for m in FLOWS if row.get(m)}
            for measure, n in counted.items():
                totals[measure] += n
            key = tuple(row[d] for d in by)
            if counted and (key in cells or "month" in by):  # by month, a month of flows only
                cells.setdefault(key, {**row, "schools": 0, "lines": 0}).update(counted)
    rows = list(cells.values()) if by else []
    for row in rows:
        for measure in FLOWS:
            row.setdefault(measure, 0)
    return rows, totals


FLOWS = {"lines_started": "started_on", "lines_ended": "ended_on"}


def _line_flows(by: Sequence[str], at: date) -> list[list[dict[str, Any]]]:
    """The lines started and ended up to `at`: in one grouping, or by month one for each."""
    if "month" not in by:
        return [grouped(Subscription.objects.all(), LINE_PATHS, by, **{
            measure: Count("pk", filter=Q(**{f"{field}__lte": at}))
            for measure, field in FLOWS.items()})]
    return [grouped(Subscription.objects.filter(**{f"{field}__lte": at})
                    .annotate(flow_month=DateText(field, "month")),
                    {**LINE_PATHS, "month": "flow_month"}, by, **{measure: Count("pk")})
            for measure, field in FLOWS.items()]


def _months_until(at: date) -> list[tuple[str, date]]:
    """Every month from the one the first line started in to the one of `at`, each with its
    last day (or `at`)."""
    first = Subscription.objects.filter(started_on__lte=at).aggregate(first=Min("started_on"))
    out: list[tuple[str, date]] = []
    if first["first"] is None:
        return out
    year, month = first["first"].year, first["first"].month
    while (year, month) <= (at.year, at.month):
        following = date(year + month // 12, month % 12 + 1, 1)
        out.append((f"{year:04d}-{month:02d}", min(at, following - timedelta(days=1))))
        year, month = following.year, following.month
    return out


def count_module_lines(by: Sequence[str], at: date) -> tuple[list[dict[str, Any]],
                                                               dict[str, Any]]:
    """Schools and lines per module; the totals count each with any module once."""
    # Active lines with modules, joined to every module whose bit their mask has: a line with
    # three modules is in three groups of `module`, and in one of any other dimension.
    dims = [d for d in by if d != "module"]
    lines = active_lines(at).filter(modules__gt=0).values(
        line=F("pk"), institution=F("location__institution_id"), mask=F("modules"),
        **{f"d_{d}": F(LINE_PATHS[d]) for d in dims},
    )
    inner, params = lines.query.sql_with_params()
    keys = {d: f"x.d_{d}" for d in dims} | {"module": "m.code"}
    group = ", ".join(keys[d] for d in by)
    counts = "count(DISTINCT x.institution), count(DISTINCT x.line)"
    source = f"FROM ({inner}) x JOIN {Module._meta.db_table} m ON (x.mask & m.bit) <> 0"
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if by:
            cursor.execute(f"SELECT {group}, {counts} {source} GROUP BY {group}", params)
            found = cursor.fetchall()
        cursor.execute(f"SELECT {counts} {source}", params)
        schools, count = cursor.fetchone()
    rows = [{**{d: _code(d, v) for d, v in zip(by, row, strict=False)},
             "schools": row[-2], "lines": row[-1]} for row in found]
    return rows, {"schools": schools, "lines": count}


def school_summaries(by: Sequence[str], at: date) -> tuple[list[dict[str, Any]],
                                                            dict[str, Any]]:
    """Per row: its active lines' download Mbps, and their offers and modules as `a|b` text.

    By school, the rows carry the schools' names (NamedRows), read in the same query.
    """
    # The database gives a flag per offer and module (the maximum over the row's lines); the
    # codes of the flags set are joined per output row, in catalogue order. Few combinations of
    # flags occur, so each is joined once. Rows are read as tuples: a row per school is a
    # million rows at world scale.
    offers = list(Offer.objects.values_list("code", flat=True))
    modules = list(Module.objects.values_list("code", "bit"))
    module_codes = [code for code, _ in modules]
    flags = {f"offer_{i}": Max(Case(When(offer_id=code, then=Value(1)), default=Value(0)))
             for i, code in enumerate(offers)}
    flags |= {f"module_{i}": Max(Case(When(GreaterThan(F("modules").bitand(bit), 0),
                                            then=Value(1)), default=Value(0)))
              for i, (_, bit) in enumerate(modules)}
    measures = {"download_mbps": Sum("download_mbps"), **flags}
    named, special = "school" in by, "special" in by
    columns = [SCHOOL_PATHS[d] for d in by] + (["location__institution__name"] if named else [])
    if by:
        found = grouped_tuples(active_lines(at), columns, measures)
    else:
        total = grouped(active_lines(at), SCHOOL_PATHS, (), **measures)[0]
        found = [tuple(total[name] for name in measures)]
    width = len(columns)
    texts: dict[tuple[Any, ...], tuple[str, str]] = {}
    rows = NamedRows()
    names: dict[str, str] = {}
    download = 0
    for values in found:
        key = values[width + 1:]
        text = texts.get(key)
        if text is None:
            text = texts[key] = _codes_set(key, offers, module_codes)
        row = dict(zip(by, values, strict=False))
        if special:
            row["special"] = _code("special", row["special"])
        if named:
            names[row["school"]] = values[width - 1]
        mbps = values[width] or 0
        row.update(download_mbps=mbps, offers=text[0], modules=text[1])
        rows.append(row)
        download += mbps
    rows.names = {"school": names} if named else {}
    any_set = tuple(int(any(key[i] for key in texts)) for i in range(len(flags)))
    offers_text, modules_text = _codes_set(any_set, offers, module_codes)
    totals = {"download_mbps": download, "offers": offers_text, "modules": modules_text}
    return (rows if by else []), totals


def _codes_set(flags: tuple[Any, ...], offers: list[str], modules: list[str]) -> tuple[str, str]:
    """The offers' and modules' codes whose flags are set, each joined with `|`."""
    return ("|".join(c for c, f in zip(offers, flags, strict=False) if f),
            "|".join(c for c, f in zip(modules, flags[len(offers):], strict=False) if f))


def count_requests(by: Sequence[str], split: date | None,
                   year: int | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Lines by the day they were requested: per month, year, before/after `split`, and more."""
    found = Subscription.objects.filter(requested_on__isnull=False)
    if year is not None:
        found = found.filter(requested_on__year=year)
    if "month" in by:
        found = found.annotate(request_month=DateText("requested_on", "month"))
    if "year" in by:
        found = found.annotate(request_year=DateText("requested_on", "year"))
    if "period" in by and split is not None:
        found = found.annotate(request_period=Case(
            When(requested_on__lt=split, then=Value("before")), default=Value("after"),
            output_field=CharField()))
    rows = grouped(found, REQUEST_PATHS, by, requests=Count("pk"))
    return rows, {"requests": sum(row["requests"] for row in rows)}  # one row per line


def request_span(year: int | None = None) -> tuple[date, date] | None:
    """The first and last day a line was requested (in `year`, if given); None without any."""
    found = Subscription.objects.filter(requested_on__isnull=False)
    if year is not None:
        found = found.filter(requested_on__year=year)
    span = found.aggregate(first=Min("requested_on"), last=Max("requested_on"))
    return None if span["first"] is None else (span["first"], span["last"])


def _code(dimension: str, value: Any) -> Any:
    """A dimension value read with raw SQL as a stable code (SQLite gives booleans as 0/1)."""
    if dimension == "special" and value is not None:
        return "true" if value else "false"
    return value
