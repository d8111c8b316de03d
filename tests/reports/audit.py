"""The auditor's attack on every public table of a sensitive report (reports.md, the audit).

It trusts nothing of core/disclosure: it reads each public table through run_report, exactly as
a visitor downloads it, and the true finest table (every dimension, no protection) as the
unknowns' layout — the worst case: the attacker knows which finest cells exist and how schools
nest in boards, levels and provinces. The unknowns are the finest counts on each release; the
constraints: every published cell of every table on every release equals the sum of the finest
counts it covers, a finest count that exists is 1 or more, and counts only grow from one
release to the next. Then, for each suppressed cell, an integer program (HiGHS through SciPy)
finds the smallest and largest value it can take. The cell is *narrowed* if the attacker can
prove it is below 10 (its largest value is under 10) or pin it to fewer than 10 values.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from ictmonitor.reports.definitions import COUNT, Parameters, Report
from ictmonitor.reports.engine import run_report

SPREAD = 10


@dataclass(frozen=True)
class Table:
    """One public table: its dimensions, the release it is of, the school year asked."""

    by: tuple[str, ...]
    release: int
    year: int | None = None


@dataclass
class Finding:
    """A suppressed cell the attack narrowed."""

    measure: str
    table: Table
    key: tuple[Any, ...]
    low: float
    high: float


@dataclass
class Audit:
    """What the attack looked at and what it found."""

    tables: int = 0
    suppressed: int = 0
    solved: int = 0
    narrowed: list[Finding] = dataclasses.field(default_factory=list)


def public_tables(report: Report, releases: Sequence[date | None],
                  years: Sequence[int] = (), largest: int = 3) -> list[Table]:
    """Every table a visitor can have: every subset of up to `largest` dimensions, on every
    release (and, for a report by school year, for every year, or with the year as dimension)."""
    tables = []
    for release in range(len(releases)):
        for size in range(largest + 1):
            for by in itertools.combinations(report.dimensions, size):
                if "year" in report.uses and "year" not in by:
                    tables += [Table(by, release, year) for year in years]
                tables.append(Table(by, release))
    return tables


def attack(report: Report, releases: Sequence[date | None], years: Sequence[int] = (),
           largest: int = 3, sample: int | None = None) -> Audit:
    """Solve every public table of the report together; the suppressed cells it narrows (of
    every suppressed cell, or of `sample` of them per measure, chosen at random but always the
    same, where a full attack would take too long)."""
    finest = tuple(report.dimensions)
    dated = "at" in report.uses

    def parameters(by: tuple[str, ...], release: int, year: int | None, public: bool
                   ) -> Parameters:
        day = releases[release]
        if dated and day is not None:
            return Parameters(by=by, public=public, year=year, at=day)
        return Parameters(by=by, public=public, year=year)

    truth = [run_report(report, parameters(finest, r, None, False)).rows
             for r in range(len(releases))]
    counts = [m.code for m in report.measures if m.sensitive and m.kind == COUNT
              and not m.rate_of]
    audit = Audit()
    published = []
    for table in public_tables(report, releases, years, largest):
        result = run_report(report, parameters(table.by, table.release, table.year, True))
        published.append((table, result))
        audit.tables += 1
    for code in counts:
        _attack_measure(code, finest, truth, published, audit, report, sample)
    return audit


def _attack_measure(code: str, finest: tuple[str, ...], truth: list[list[dict[str, Any]]],
                    published: list[tuple[Table, Any]], audit: Audit, report: Report,
                    sample: int | None = None) -> None:
    """The attack on one measure."""
    variables: dict[tuple[int, tuple[Any, ...]], int] = {}
    for release, rows in enumerate(truth):
        for row in rows:
            if row[code]:
                variables[release, tuple(row[d] for d in finest)] = len(variables)
    year_at = finest.index("year") if "year" in finest else None
    latest_year = max((k[year_at] for _, k in variables), default=None) if year_at is not None \
        else None

    index: dict[tuple[int, tuple[str, ...], Any], dict[tuple[Any, ...], list[int]]] = {}

    def covered(table: Table, key: tuple[Any, ...], asked: Table) -> list[int]:
        year = None  # the school year(s) the table asked covers: all with `year` among its by
        if year_at is not None and "year" not in asked.by:
            year = f"{table.year}-{table.year + 1}" if table.year is not None else latest_year
        name = (table.release, table.by, year)
        if name not in index:
            where = [finest.index(d) for d in table.by]
            groups: dict[tuple[Any, ...], list[int]] = {}
            for (release, k), i in variables.items():
                if release == table.release and (year_at is None or year is None
                                                 or k[year_at] == year):
                    groups.setdefault(tuple(k[w] for w in where), []).append(i)
            index[name] = groups
        return index[name].get(key, [])

    equations: list[tuple[list[int], int]] = []
    hidden: dict[frozenset[int], tuple[Table, tuple[Any, ...]]] = {}
    for table, result in published:
        whole = dataclasses.replace(table, by=())
        cells = [(table, tuple(row[d] for d in table.by), row) for row in result.rows]
        cells.append((whole, (), result.totals))
        for part, key, values in cells:
            members = covered(part, key, table)
            if values.get(f"{code}_flag"):
                audit.suppressed += 1
                if members:
                    hidden.setdefault(frozenset(members), (part, key))
            elif values.get(code) is not None:
                equations.append((members, int(values[code])))
    n = len(variables)
    # The true counts solve every equation: else the attack, not the plan, is wrong.
    true = {variables[release, tuple(row[d] for d in finest)]: row[code]
            for release, rows in enumerate(truth) for row in rows if row[code]}
    wrong = [(members, v) for members, v in equations if sum(true[i] for i in members) != v]
    assert not wrong, f"{report.id}/{code}: published cells that are no sum of finest cells"
    # What the published figures fix outright (a cell alone in a sum, then the last unknown of
    # a sum whose others are fixed) the attacker knows exactly: take it out of the program.
    fixed: dict[int, int] = {}
    unique = {frozenset(m): v for m, v in equations}
    changed = True
    while changed:
        changed = False
        for group, value in unique.items():
            free = [i for i in group if i not in fixed]
            if len(free) == 1:
                fixed[free[0]] = value - sum(fixed[i] for i in group if i != free[0])
                changed = True
        unique = {m: v for m, v in unique.items() if any(i not in fixed for i in m)}
    unknown = sorted(set(range(n)) - set(fixed))
    column = {i: c for c, i in enumerate(unknown)}
    program: list[tuple[dict[int, int], float, float]] = []
    for group, value in unique.items():
        rest = value - sum(fixed[i] for i in group if i in fixed)
        program.append(({column[i]: 1 for i in group if i in column}, rest, rest))
    lower = np.ones(len(unknown))
    for (release, key), i in variables.items():  # counts only grow between releases
        before = variables.get((release - 1, key))
        if before is None or (i in fixed and before in fixed):
            continue
        if i in fixed:  # the earlier count is at most the later one
            program.append(({column[before]: 1}, -np.inf, fixed[i]))
        elif before in fixed:
            lower[column[i]] = max(lower[column[i]], fixed[before])
        else:
            program.append(({column[i]: 1, column[before]: -1}, 0, np.inf))
    matrix = lil_matrix((max(len(program), 1), len(unknown)))
    for r, (coefficients, _, _) in enumerate(program):
        for c, a in coefficients.items():
            matrix[r, c] = a
    constraints = LinearConstraint(matrix.tocsr(), [lo for _, lo, _ in program] or [0],
                                   [hi for _, _, hi in program] or [0])
    bounds = Bounds(lower, np.full(len(unknown), np.inf))
    integrality = np.ones(len(unknown))
    targets = list(hidden.items())
    if sample is not None and len(targets) > sample:
        targets = random.Random(12).sample(targets, sample)
    for cell, (table, key) in targets:
        known = sum(fixed[i] for i in cell if i in fixed)
        objective = np.zeros(len(unknown))
        objective[[column[i] for i in cell if i in column]] = 1
        if not objective.any():  # every finest cell under it is fixed: it is known exactly
            audit.narrowed.append(Finding(code, table, key, known, known))
            continue
        ends = []
        for sign in (1, -1):
            found = milp(sign * objective, constraints=constraints, bounds=bounds,
                         integrality=integrality)
            audit.solved += 1
            if found.status == 3 or "unbounded" in found.message:  # no upper limit (it is
                # feasible: the true counts solve it, checked above)
                ends.append(np.inf)
            elif found.status != 0:
                raise AssertionError(f"{report.id}/{code} {table} {key}: {found.message}")
            else:
                ends.append(known + sign * found.fun)
        lowest, highest = ends
        if highest < SPREAD or highest - lowest < SPREAD:
            audit.narrowed.append(Finding(code, table, key, lowest, highest))
