"""The text of connectivity-quality's one grouped query (quality.connectivity_quality builds
it): every line-month of the period judged and added up by the database, exactly as
contracts/measurements.md and `judgements` define the figures.

- A line-month is a row of `line_months`: its line, month, contracted download, school and
  level, the breakdown's values (`k0`, `k1`, … in the breakdown's order, month aside), its
  school-hour primary speed tests, measured download and upload (the medians of those
  tests), and its school-hour pings and reachable pings. The pieces come from the month
  rollups (a month read whole) and, for a month covered in part, from its day rollups added
  up per line, with the medians of their speed lists taken in Python as the month rollups'
  are (`partial_piece`: a month's lines at most, bound as one JSON parameter; unnesting
  the lists in SQL let PostgreSQL guess millions of rows and spend seconds compiling).
- Judged (`judgements`): 10 speed tests or more; meets its contract when measured download
  ≥ 0.8 × the contracted download (a line with none is not judged); meets the standard in
  force as `connectivity.standards.outcome` decides (its SQL twin `outcome_sql`, over the
  level's figure joined from the standards file and the school's pupils); its minutes on
  backup are the spells that started that month (paired from the raw failover rows by
  `judgements.failover_spells`, passed in as one JSON parameter).
- Added up per group and over everything (the totals' row): lines, the median of the
  line-months' measured downloads, counts of those judged and meeting, the pings and the
  minutes. A median is the mean of the two middle values as `judgements.median` takes it,
  `(a + b) / 2` (percentile_cont's `a + (b - a) × 0.5` may differ in the last bit):
  PostgreSQL finds them with percentile_disc over the speeds and over the speeds negated,
  per group and in total in one pass (grouping sets); SQLite, which has neither, by row
  numbers in one window per group, every sum taken over the same window. The shares,
  rounding and hours are made from these few rows in Python.

Every number the query compares with a speed is bound as a double (`REAL`), never a decimal
literal, so `0.8 × 3` is the double Python computes; medians are averaged from the doubles
themselves, so the figures are the ones the Python definitions give to the last bit
(tests/measurements/test_quality_sql.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# A number compared with a stored speed: a double on both databases (SQLite reads "double
# precision" as REAL), never a decimal, as connectivity.standards.outcome_sql binds its own.
REAL = "CAST(%s AS double precision)"
# A date bound as a parameter: SQLite keeps dates as text (CAST to date would make a number).
DATE = {"postgresql": "CAST(%s AS date)", "sqlite": "%s"}
# The measured speeds of a month in part per line, bound as one JSON array of objects.
MEDIANS = {
    "postgresql": ("SELECT m.line_id, m.download, m.upload FROM jsonb_to_recordset(CAST(%s AS "
                   "jsonb)) AS m(line_id bigint, download double precision, upload double "
                   "precision)"),
    "sqlite": ("SELECT json_extract(value, '$.line_id') AS line_id, json_extract(value, "
               "'$.download') AS download, json_extract(value, '$.upload') AS upload "
               "FROM json_each(%s)"),
}
# The minutes on backup per line and month, bound as one JSON array of objects.
BACKUP = {
    "postgresql": ("SELECT b.line_id, b.month, b.minutes FROM jsonb_to_recordset(CAST(%s AS "
                   "jsonb)) AS b(line_id bigint, month date, minutes double precision)"),
    "sqlite": ("SELECT json_extract(value, '$.line_id'), json_extract(value, '$.month'), "
               "json_extract(value, '$.minutes') FROM json_each(%s)"),
}
FIGURES = ("lines", "median", "judged", "contract_judged", "contract_met", "standard_judged",
           "standard_met", "pings", "reachable", "minutes")


def keys_of(count: int) -> list[str]:
    """The breakdown's columns of a line-month (month aside)."""
    return [f"k{i}" for i in range(count)]


def line_month_columns(keys: int) -> list[str]:
    """The columns of `line_months`, in order."""
    return ["line_id", "month", "contracted", "institution_id", "level", *keys_of(keys),
            "tests", "download", "upload", "pings", "reachable"]


@dataclass
class Piece:
    """Some of the period's line-months: common table expressions it needs (text and
    parameters, in order) and the SELECT giving its rows in `line_month_columns` order."""

    select: str
    params: list[Any]
    ctes: list[str] = field(default_factory=list)
    cte_params: list[Any] = field(default_factory=list)


def whole_piece(sql: str, params: Sequence[Any]) -> Piece:
    """Line-months read whole from the month rollups: `sql` selects the columns in order."""
    return Piece(f"SELECT * FROM ({sql}) AS whole_months", list(params))


def partial_piece(n: int, vendor: str, month: str, sums_sql: str, sums_params: Sequence[Any],
                  keys: int, medians: dict[int, tuple[float | None, float | None]]) -> Piece:
    """The line-months of a month covered in part: `sums_sql` adds up its day rollups per
    line (line_id, contracted, institution_id, level, the keys, tests, pings, reachable
    pings); `medians` is each line's measured download and upload over those days (taken in
    Python from the speed lists, as the month rollups' are), bound as one JSON parameter."""
    sums, facts = f"part{n}_sums", ["line_id", "contracted", "institution_id", "level",
                                    *keys_of(keys)]
    listed = "".join(f", s.{name}" for name in facts[1:])
    return Piece(
        f"SELECT s.line_id, {DATE[vendor]}{listed}, s.tests, m.download, m.upload, s.pings, "
        f"s.reachable FROM {sums} s LEFT JOIN ({MEDIANS[vendor]}) AS m ON m.line_id = s.line_id",
        [month, json.dumps([{"line_id": line_id, "download": down, "upload": up}
                            for line_id, (down, up) in medians.items()])],
        [f"{sums}({', '.join(facts)}, tests, pings, reachable) AS ({sums_sql})"],
        list(sums_params))


@dataclass
class Judging:
    """What the line-months are judged by: the fewest tests, the share of the contract, the
    standard's figures per registry level and its decision (text and parameters over the
    columns need_down, need_up, pupils, download, upload of `judged`), the pupils per school
    (a SELECT of institution_id, pupils; None when the standard has no rule per pupil)."""

    min_tests: int
    contract_share: float
    levels: list[tuple[str, float, float]]
    standard: tuple[str, list[Any]]
    pupils: tuple[str, Sequence[Any]] | None


def grouped_sql(vendor: str, pieces: Sequence[Piece], by: Sequence[str], keys: int,
                judging: Judging, minutes: dict[tuple[int, str], float], *,
                total_median: bool = True) -> tuple[str, list[Any]]:
    """The query: a row per group (`total` false, the breakdown's values in `by` order:
    `month` or a key) and the totals' row (`total` true), each with FIGURES. `minutes` is the
    minutes on backup per (line, month's first day as ISO text). Without `total_median` the
    totals' median may be left out (NULL)."""
    ctes: list[str] = []
    params: list[Any] = []
    for piece in pieces:
        ctes += piece.ctes
        params += piece.cte_params
    columns = ", ".join(line_month_columns(keys))
    ctes.append(f"line_months({columns}) AS ("
                + " UNION ALL ".join(piece.select for piece in pieces) + ")")
    for piece in pieces:
        params += piece.params
    if judging.levels:
        rows = ", ".join(f"(%s, {REAL}, {REAL})" for _ in judging.levels)
        ctes.append(f"standard_levels(level, download, upload) AS (VALUES {rows})")
        params += [value for row in judging.levels for value in row]
    else:  # no level has a figure: every line-month cannot tell
        ctes.append("standard_levels(level, download, upload) AS (SELECT 'none', "
                    f"{REAL}, {REAL} WHERE 1 = 0)")
        params += [0.0, 0.0]
    joins = ["LEFT JOIN standard_levels f ON f.level = lm.level"]
    if judging.pupils is not None:
        ctes.append(f"pupils(institution_id, pupils) AS ({judging.pupils[0]})")
        params += list(judging.pupils[1])
        joins.append("LEFT JOIN pupils p ON p.institution_id = lm.institution_id")
    if minutes:
        ctes.append(f"backup(line_id, month, minutes) AS ({BACKUP[vendor]})")
        params.append(json.dumps([{"line_id": line_id, "month": month, "minutes": spent}
                                  for (line_id, month), spent in minutes.items()]))
        joins.append("LEFT JOIN backup b ON b.line_id = lm.line_id AND b.month = lm.month")
    standard, standard_params = judging.standard
    keys_listed = "".join(f", lm.{k}" for k in keys_of(keys))
    ctes.append(
        f"judged AS (SELECT lm.month{keys_listed}, lm.download AS speed, "
        "CASE WHEN lm.tests >= %s THEN 1 ELSE 0 END AS judged, "
        "CASE WHEN lm.tests >= %s AND lm.contracted > 0 THEN "
        f"CASE WHEN lm.download >= {REAL} * lm.contracted THEN 1 ELSE 0 END END AS contract, "
        f"CASE WHEN lm.tests >= %s THEN {standard} END AS standard, "
        "lm.pings, lm.reachable, "
        f"{'coalesce(b.minutes, 0)' if minutes else '0'} AS minutes "
        f"FROM line_months lm {' '.join(joins)})")
    params += [judging.min_tests, judging.min_tests, judging.contract_share, judging.min_tests,
               *standard_params]
    added = (_added_up_postgresql if vendor == "postgresql" else _added_up_sqlite)
    return "WITH " + ", ".join(ctes) + added(by, total_median), params


SUMS = ("sum(judged), count(contract), sum(contract), count(standard), sum(standard), "
        "sum(pings), sum(reachable), sum(minutes)")


def _added_up_postgresql(by: Sequence[str], total_median: bool) -> str:
    """FIGURES per group and in total in one pass (grouping sets); a median is the mean of
    the two middle values, the lower one's percentile_disc and the upper one's (the lower
    of the speeds negated)."""
    middle = ("(percentile_disc(0.5) WITHIN GROUP (ORDER BY speed) "
              "- percentile_disc(0.5) WITHIN GROUP (ORDER BY -speed)) / 2")
    figures = f"count(*), {middle}, {SUMS}"
    group = ", ".join(by)
    if not group:
        return f" SELECT true, {figures} FROM judged"
    return (f" SELECT GROUPING({group}) <> 0, {group}, {figures} FROM judged "
            f"GROUP BY GROUPING SETS (({group}), ())")


def _added_up_sqlite(by: Sequence[str], total_median: bool) -> str:
    """FIGURES per group from one window over the group's line-months by speed (nulls
    first): every sum over the whole group, and the row numbers that find the two middle
    speeds (after the `lines - c` without one); the totals by plain sums, their median (when
    asked) by row numbers over every speed."""
    middle = ("(SELECT (min(speed) + max(speed)) / 2 FROM (SELECT speed, "
              "row_number() OVER (ORDER BY speed) AS n, count(*) OVER () AS c FROM judged "
              "WHERE speed IS NOT NULL) AS ranked WHERE n IN ((c + 1) / 2, (c + 2) / 2))"
              if total_median else "NULL")
    totals = f"SELECT 1{', NULL' * len(by)}, count(*), {middle}, {SUMS} FROM judged"
    group = ", ".join(by)
    if not group:
        return " " + totals
    whole = "OVER whole"
    return (
        f", ranked AS (SELECT {group}, speed, row_number() OVER by_speed AS n, "
        f"count(*) {whole} AS lines, count(speed) {whole} AS c, "
        f"sum(judged) {whole} AS judged, count(contract) {whole} AS contract_judged, "
        f"sum(contract) {whole} AS contract_met, count(standard) {whole} AS standard_judged, "
        f"sum(standard) {whole} AS standard_met, sum(pings) {whole} AS pings, "
        f"sum(reachable) {whole} AS reachable, sum(minutes) {whole} AS minutes FROM judged "
        f"WINDOW by_speed AS (PARTITION BY {group} ORDER BY speed NULLS FIRST), "
        "whole AS (by_speed ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) "
        f"SELECT 0, {group}, max(lines), (min(speed) + max(speed)) / 2, max(judged), "
        "max(contract_judged), max(contract_met), max(standard_judged), max(standard_met), "
        "max(pings), max(reachable), max(minutes) FROM ranked "
        f"WHERE n IN (lines - c + (c + 1) / 2, lines - c + (c + 2) / 2) GROUP BY {group} "
        f"UNION ALL {totals}")
