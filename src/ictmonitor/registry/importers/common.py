"""What the school-list contracts share: reading cells, the staged columns, the merge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache, partial

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ictmonitor.core import cells
from ictmonitor.core.bulk import (
    BIGINT,
    BOOL,
    DATE,
    INT,
    TEXT,
    Counts,
    Stage,
    Upsert,
    insert_missing,
    repeated_keys,
)
from ictmonitor.core.cells import CellError
from ictmonitor.core.models import ImportRun
from ictmonitor.core.problems import ProblemList


def text(max_length: int, *, required: bool = False) -> Callable[[str], str]:
    """A parser for free text of at most max_length characters."""
    return partial(cells.text, max_length=max_length, required=required)


def digits(max_length: int, *, required: bool = False) -> Callable[[str], str]:
    """A parser for a number written with at most max_length digits."""
    return partial(cells.digits, max_length=max_length, required=required)


def one_of(choices: dict[str, str], expected: str) -> Callable[[str], str]:
    """A parser for a code from a fixed list (matched case-insensitively)."""

    def parse(value: str) -> str:
        try:
            return choices[value.lower()]
        except KeyError:
            raise CellError(_("%(value)r is not one of %(allowed)s"), value=value,
                            allowed=expected) from None

    return parse


def iso(value: date | None) -> str | None:
    """Dates are staged as ISO text: the same on both databases."""
    return value.isoformat() if value else None


# The staged row of a school list: one location with its institution's attributes.
SCHOOL_STAGE = [
    ("institution", TEXT), ("number", TEXT), ("name", TEXT), ("is_main", BOOL),
    ("street", TEXT), ("house_number", TEXT), ("box", TEXT), ("postcode", TEXT),
    ("place", TEXT), ("municipality", TEXT), ("province", TEXT), ("lambert_x", INT),
    ("lambert_y", INT), ("structures", TEXT), ("starts_on", DATE), ("ends_on", DATE),
    ("country", TEXT), ("level", TEXT), ("special", BOOL), ("institution_type", TEXT),
    ("network_code", TEXT), ("network_name", TEXT), ("board", TEXT), ("school_group", TEXT),
    ("guidance_centre", TEXT), ("company_number", TEXT), ("website", TEXT), ("language", TEXT),
    ("recognition", TEXT), ("main_rank", BIGINT),
]


@lru_cache(maxsize=8192)  # location numbers repeat across institutions: 1, 2, 3, ...
def main_rank(is_main: bool, number: str) -> int:
    """Orders an institution's locations: the main one (hoofdzetel) first, then by number."""
    digits = "".join(ch for ch in number if ch.isdigit())[-12:]
    return (0 if is_main else 1) * 10**12 + int(digits or 0)

INSTITUTION_VALUES = [
    "country", "name", "level", "special", "institution_type", "board_id", "school_group_id",
    "network_id", "province_id", "guidance_centre", "company_number", "website", "language",
    "recognition", "starts_on", "ends_on",
]
LOCATION_VALUES = [
    "name", "is_main", "street", "house_number", "box", "postcode", "place", "municipality_id",
    "province_id", "lambert_x", "lambert_y", "structures", "starts_on", "ends_on",
]


def check_duplicate_locations(stage: Stage, problems: ProblemList, column: str) -> None:
    """A location may appear once in a file."""
    for line, first in repeated_keys(stage, ["institution", "number"]):
        problems.add(line, column, _("this location is already on line %(first)s"), first=first)


# The tables merge_school_list writes, parents first (a large file is merged in slices of
# institutions on SQLite: core/slices.py).
SCHOOL_TABLES = ("registry_network", "registry_board", "registry_schoolgroup",
                 "registry_institution", "registry_location")


def merge_school_list(stage: Stage, run: ImportRun) -> Counts:
    """Write networks, boards, school groups, institutions and locations from the staged rows."""
    now = timezone.now()
    table = stage.name
    insert_missing(
        "registry_network", "code", ["name"],
        f"SELECT network_code AS code, min(network_name) AS name FROM {table} "
        f"WHERE network_code <> '' GROUP BY network_code", run, now,
    )
    for model_table, column in (("registry_board", "board"),
                                ("registry_schoolgroup", "school_group")):
        insert_missing(
            model_table, "code", ["name"],
            f"SELECT DISTINCT {column} AS code, '' AS name FROM {table} WHERE {column} <> ''",
            run, now,
        )
    # One row per institution: its main location (hoofdzetel, else the lowest number), kept in
    # a table of its own so the audit and the write don't each look for it again.
    main = f"{table}_main"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {main}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {main} AS SELECT s.* FROM {table} s JOIN "
            f"(SELECT institution, min(main_rank) AS first FROM {table} GROUP BY institution) f "
            f"ON s.institution = f.institution AND s.main_rank = f.first"
        )
    institutions = Upsert(
        table="registry_institution", label="registry.institution", key=["number"],
        values=INSTITUTION_VALUES,
        source=(
            "SELECT m.institution AS number, m.institution AS audit_key, m.country, m.name, "
            "m.level, m.special, m.institution_type, b.id AS board_id, "
            "g.id AS school_group_id, n.id AS network_id, m.province AS province_id, "
            "m.guidance_centre, m.company_number, m.website, m.language, m.recognition, "
            f"m.starts_on, m.ends_on FROM {main} m "
            "LEFT JOIN registry_board b ON b.code = m.board "
            "LEFT JOIN registry_schoolgroup g ON g.code = m.school_group "
            "LEFT JOIN registry_network n ON n.code = m.network_code"
        ),
        count_sql=f"SELECT count(*) FROM {main}",
    )
    institution_counts = institutions.run(run, now)
    locations = Upsert(
        table="registry_location", label="registry.location",
        key=["institution_id", "number"], values=LOCATION_VALUES,
        source=(
            "SELECT i.id AS institution_id, s.number, s.institution || '/' || s.number "
            "AS audit_key, s.name, s.is_main, s.street, s.house_number, s.box, s.postcode, "
            "s.place, s.municipality AS municipality_id, s.province AS province_id, "
            "s.lambert_x, s.lambert_y, s.structures, s.starts_on, s.ends_on "
            f"FROM {table} s JOIN registry_institution i ON i.number = s.institution"
        ),
        count_sql=f"SELECT count(*) FROM {table}",
    )
    location_counts = locations.run(run, now)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {main}")
    run.details = {"institutions": vars(institution_counts), "locations": vars(location_counts)}
    return location_counts
