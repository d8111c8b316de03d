"""Reads of the school registry: the finder, a school's locations and pupils, national counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import translation

from ictmonitor.accounts.access import visible_institutions
from ictmonitor.core.translation import language
from ictmonitor.registry.models import (
    Board,
    Enrolment,
    EnrolmentLevel,
    Institution,
    Level,
    Location,
    Network,
    Province,
)

UNKNOWN = ""
# How many keys one lookup by key names at most (SQLite allows 32,766 parameters).
LOOKUP_CHUNK = 5000


def find_institutions(
    user: Any, q: str = "", level: str = "", province: str = "", municipality: str = "",
    special: bool | None = None,
) -> QuerySet[Institution]:
    """The institutions this user may see that match a search text and the chosen filters, by
    name (then number): the one school search, of the finder page and the API alike. The text
    matches a name containing it (any case) or a number starting with it."""
    found = visible_institutions(user).select_related(
        "province", "network", "board", "school_group")
    q = q.strip()
    if q:
        found = found.filter(Q(name__icontains=q) | Q(number__istartswith=q))
    if level:
        found = found.filter(level=level)
    if province:
        found = found.filter(province_id=province)
    if special is not None:
        found = found.filter(special=special)
    municipality = municipality.strip()
    if municipality:
        places = Location.objects.filter(
            Q(municipality__code=municipality)
            | Q(municipality__name_nl__icontains=municipality)
            | Q(municipality__name_fr__icontains=municipality)
        )
        found = found.filter(pk__in=places.values("institution_id"))
    return found.order_by("name", "number")


def finder_provinces() -> QuerySet[Province]:
    """The provinces a user can filter the finder on."""
    return Province.objects.order_by("country", "name_nl")


def province_name(province: Province | None) -> str:
    """A province's name in the active language ('' when unknown)."""
    if province is None:
        return UNKNOWN
    return province.name_en if language() == "en" else province.name_nl


def school_locations(institution: Institution) -> QuerySet[Location]:
    """An institution's locations, main location first, with their municipality and province."""
    return institution.locations.select_related("municipality", "province").order_by(
        "-is_main", "number"
    )


def pupil_counts(institution: Institution) -> list[dict[str, Any]]:
    """The institution's pupils per school year and level, summed over its locations."""
    rows = (
        Enrolment.objects.filter(location__institution=institution)
        .values("school_year", "level")
        .annotate(pupils=Sum("pupils"))
        .order_by("school_year", "level")
    )
    return [dict(row) for row in rows]


def locations_of(institution: Institution) -> QuerySet[Location]:
    """The institution's locations in number order."""
    return Location.objects.filter(institution=institution).order_by("number")


@dataclass
class CountTable:
    """Counts in a grid: one row per row key, one column per column key, with totals."""

    rows: list[tuple[str, str]]
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], int] = field(default_factory=dict)

    def row_total(self, row: str) -> int:
        """The total of one row."""
        return sum(n for (r, _c), n in self.cells.items() if r == row)

    def column_total(self, column: str) -> int:
        """The total of one column."""
        return sum(n for (_r, c), n in self.cells.items() if c == column)

    @property
    def total(self) -> int:
        """The grand total."""
        return sum(self.cells.values())

    def body(self) -> list[dict[str, Any]]:
        """Rows ready for a template: label, the counts in column order, and the row total."""
        return [
            {
                "key": key,
                "label": label,
                "counts": [self.cells.get((key, c), 0) for c, _ in self.columns],
                "total": self.row_total(key),
            }
            for key, label in self.rows
        ]

    def footer(self) -> list[int]:
        """The column totals in column order."""
        return [self.column_total(c) for c, _ in self.columns]


def _label(choices: type[Level] | type[EnrolmentLevel], code: str) -> str:
    return str(dict(choices.choices).get(code, code))


def institutions_per_level_and_province() -> CountTable:
    """How many institutions each level has in each province, counted in one GROUP BY."""
    name = f"province__name_{language()}"
    grouped = (
        Institution.objects.order_by().values("level", "province", name).annotate(n=Count("pk"))
    )
    cells: dict[tuple[str, str], int] = {}
    provinces: dict[str, str] = {}
    levels: set[str] = set()
    for group in grouped:
        column = group["province"] or UNKNOWN
        provinces[column] = group[name] or UNKNOWN
        levels.add(group["level"])
        cells[(group["level"], column)] = group["n"]
    order = {code: i for i, code in enumerate(Level.values)}
    rows = [(lv, _label(Level, lv)) for lv in sorted(levels, key=lambda v: order.get(v, 99))]
    columns = sorted(provinces.items(), key=lambda item: (item[0] == UNKNOWN, item[1]))
    return CountTable(rows=rows, columns=columns, cells=cells)


def pupils_per_year_and_level(institution: Institution) -> CountTable:
    """An institution's pupils over all its locations, per school year (newest first) and level."""
    grouped = (
        Enrolment.objects.filter(location__institution=institution)
        .order_by()
        .values("school_year", "level")
        .annotate(n=Sum("pupils"))
    )
    cells = {(g["school_year"], g["level"]): g["n"] for g in grouped}
    years = sorted({year for year, _ in cells}, reverse=True)
    present = {level for _, level in cells}
    columns = [(lv, _label(EnrolmentLevel, lv)) for lv in EnrolmentLevel.values if lv in present]
    return CountTable(rows=[(y, y) for y in years], columns=columns, cells=cells)


# Report dimensions as paths from each table. An institution's province is its main location's;
# a location's province is its own; a count's level is its institution's level.
INSTITUTION_PATHS = {
    "level": "level", "special": "special", "province": "province_id",
    "network": "network__code", "board": "board__code", "school": "number",
}
LOCATION_PATHS = {
    **{dim: f"institution__{path}" for dim, path in INSTITUTION_PATHS.items()},
    "province": "province_id",
}
ENROLMENT_PATHS = {
    **{dim: f"location__{path}" for dim, path in LOCATION_PATHS.items()},
    "year": "school_year",
}


def active_on(day: date, prefix: str = "") -> Q:
    """Rows whose start and end dates (open-ended when empty) include the day."""
    return (Q(**{f"{prefix}starts_on__isnull": True}) | Q(**{f"{prefix}starts_on__lte": day})) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def grouped(queryset: QuerySet[Any], paths: dict[str, str], by: Sequence[str],
            **measures: Any) -> list[dict[str, Any]]:
    """GROUP BY the dimensions in `by` (in the database); rows keyed by dimension code."""
    if not by:
        return [queryset.aggregate(**measures)]
    columns = [paths[dim] for dim in by]
    names = [*by, *measures]
    found = queryset.order_by().values(*columns).annotate(**measures).values_list(*columns,
                                                                                  *measures)
    rows = [dict(zip(names, values, strict=True)) for values in found]
    for dim in by:  # booleans become codes; the other dimensions are codes already
        if any(isinstance(row[dim], bool) for row in rows):
            for row in rows:
                row[dim] = _code(row[dim])
    return rows


class NamedRows(list[dict[str, Any]]):
    """Grouped rows that carry the display names of some of their dimensions, read in the same
    query (`names[dimension][code]`), so a report with a row per school need not look up a
    million names again."""

    names: dict[str, dict[str, str]]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.names = {}


def grouped_tuples(queryset: QuerySet[Any], columns: Sequence[str],
                   measures: dict[str, Any]) -> list[tuple[Any, ...]]:
    """GROUP BY the columns, straight from the cursor: a tuple per group, the columns then the
    measures. No field converters run (a million groups read in a fraction of the time), so it
    is for text and number columns and plain number measures; SQLite gives booleans as 0/1."""
    found = queryset.order_by().values(*columns).annotate(**measures).values_list(*columns,
                                                                                  *measures)
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _code(value: Any) -> Any:
    """Dimension values as stable codes: booleans as 'true'/'false'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def count_institutions(by: Sequence[str], at: date) -> list[dict[str, Any]]:
    """Institutions active on a day, per dimension values."""
    return grouped(Institution.objects.filter(active_on(at)), INSTITUTION_PATHS, by,
                   institutions=Count("pk"))


def count_locations(by: Sequence[str], at: date) -> list[dict[str, Any]]:
    """Locations active on a day (of active institutions), per dimension values."""
    active = active_on(at) & active_on(at, "institution__")
    return grouped(Location.objects.filter(active), LOCATION_PATHS, by, locations=Count("pk"))


def school_years() -> list[str]:
    """The school years pupil counts exist for, oldest first."""
    return list(Enrolment.objects.order_by("school_year").values_list("school_year", flat=True)
                .distinct())


def latest_school_year() -> str | None:
    """The most recent school year with pupil counts (an index lookup)."""
    return Enrolment.objects.aggregate(latest=Max("school_year"))["latest"]


def has_school_year(year: str) -> bool:
    """Whether pupil counts exist for a school year."""
    return Enrolment.objects.filter(school_year=year).exists()


def sum_pupils(by: Sequence[str], years: Sequence[str] | None) -> list[dict[str, Any]]:
    """Pupils in the given school years (None: every year), per dimension values."""
    found = Enrolment.objects.all() if years is None else Enrolment.objects.filter(
        school_year__in=years)
    return grouped(found, ENROLMENT_PATHS, by, pupils=Sum("pupils"))


def school_year_of(day: date) -> str:
    """The school year a day falls in, as pupil counts name it: 1 September to 31 August."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def institution_pupils(institution: Any, year: str) -> int | None:
    """The institution's pupils in a school year (every location and level), None when no
    count of that year is known."""
    return Enrolment.objects.filter(location__institution=institution,
                                    school_year=year).aggregate(n=Sum("pupils"))["n"]


def province_names(codes: Iterable[str], language: str) -> dict[str, str]:
    """Province code → its name in Dutch or English, for the codes given."""
    field = "name_en" if language == "en" else "name_nl"
    return dict(Province.objects.filter(code__in=list(codes)).values_list("code", field))


def network_names(codes: Iterable[str]) -> dict[str, str]:
    """Education network code → its name, for the codes given."""
    return dict(Network.objects.filter(code__in=list(codes)).values_list("code", "name"))


def board_names(codes: Iterable[str]) -> dict[str, str]:
    """School board number → its name (the number where it has none), for the numbers given."""
    found = Board.objects.filter(code__in=list(codes)).values_list("code", "name")
    return {code: name or code for code, name in found}


def institution_names(numbers: Iterable[str]) -> dict[str, str]:
    """Institution number → its name, for the numbers given (any number of them)."""
    wanted = sorted(numbers)
    found: dict[str, str] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start:start + LOOKUP_CHUNK]
        found.update(Institution.objects.filter(number__in=chunk).values_list("number", "name"))
    return found


def pupils_of_institutions(institution_ids: Iterable[int], year: str) -> dict[int, int]:
    """Institution id → its pupils in a school year (every location and level), for the ids
    given; an institution without a count of that year is left out."""
    return dict(Enrolment.objects.filter(location__institution_id__in=list(institution_ids),
                                         school_year=year)
                .order_by().values("location__institution_id")
                .annotate(n=Sum("pupils")).values_list("location__institution_id", "n"))


def mapped_locations(day: date) -> list[dict[str, Any]]:
    """Every location open on `day` (of an open institution) with what a map shows of it: its
    school, number, place, province, Lambert coordinates (None where unknown), and its postcode
    and municipality (where a Dutch location, which has no coordinates, is placed)."""
    active = active_on(day) & active_on(day, "institution__")
    return [dict(row) for row in Location.objects.filter(active)
            .order_by("institution__number", "number")
            .values("institution_id", "institution__number", "institution__name",
                    "institution__country", "number", "place", "postcode", "municipality_id",
                    "province_id", "lambert_x", "lambert_y")]


def level_names(codes: Iterable[str], language: str) -> dict[str, str]:
    """School level code → its name in Dutch or English, for the codes given (a code without
    one as it is)."""
    with translation.override(language):
        names = {code: str(name) for code, name in Level.choices}
    return {code: names.get(code, code) for code in codes}


def institutions_open(days: Sequence[date]) -> list[int]:
    """How many institutions were open on each day (one pass)."""
    counts = Institution.objects.aggregate(**{f"d{i}": Count("pk", filter=active_on(day))
                                              for i, day in enumerate(days)})
    return [counts[f"d{i}"] for i in range(len(days))]
