"""Disclosure control: what a public report shows of small pupil and voucher counts.

The recoverability checks do not trust the module's algebra: for every suppressed cell they
build, by dense elimination written here, a certificate and then verify it by plain arithmetic
on the published sums: either a change to the suppressed cells that moves that cell and leaves
every published sum as it was (the cell cannot be worked back), or a combination of published
sums that equals that cell alone (it can).
"""

from __future__ import annotations

import itertools
import json
import random
from datetime import UTC, datetime
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from ictmonitor.core.disclosure import rule_text, suppression_pattern
from ictmonitor.core.disclosure.pattern import plan
from ictmonitor.core.translation import message as _
from ictmonitor.reports.definitions import RATE, Measure, Parameters, Report, Result
from ictmonitor.reports.suppression import protect

LABELS = ["a", "b", "c", "d", "e", None]  # None: an unknown value, as the reports have them

# --- the reader's side: what the published sums say about the suppressed cells ---------------


def published_sums(cells: dict[tuple, int], dimensions: int) -> list[set[tuple]]:
    """The cells of every published marginal: over any non-empty set of dimensions, 0 or ≥ 10."""
    sums = []
    for size in range(1, dimensions + 1):
        for summed in itertools.combinations(range(dimensions), size):
            groups: dict[tuple, set[tuple]] = {}
            for key in cells:
                fixed = tuple(v for i, v in enumerate(key) if i not in summed)
                groups.setdefault(fixed, set()).add(key)
            for keys in groups.values():
                total = sum(cells[k] for k in keys)
                if total == 0 or total >= 10:
                    sums.append(keys)
    return sums


def recoverable(sums: list[set[tuple]], unknowns: list[tuple]) -> set[tuple]:
    """The unknown cells the published sums pin down, each answer checked by a certificate."""
    rows = [[Fraction(int(u in keys)) for u in unknowns] for keys in sums]
    n, m = len(unknowns), len(rows)
    # Reduced row echelon form of the sums, remembering which sums make each row (T·A = R).
    mix = [[Fraction(int(i == j)) for j in range(m)] for i in range(m)]
    pivots: list[int] = []
    for col in range(n):
        r = next((r for r in range(len(pivots), m) if rows[r][col]), None)
        if r is None:
            continue
        top = len(pivots)
        rows[top], rows[r], mix[top], mix[r] = rows[r], rows[top], mix[r], mix[top]
        scale = rows[top][col]
        rows[top] = [x / scale for x in rows[top]]
        mix[top] = [x / scale for x in mix[top]]
        for other in range(m):
            factor = rows[other][col]
            if other != top and factor:
                rows[other] = [x - factor * y for x, y in zip(rows[other], rows[top], strict=True)]
                mix[other] = [x - factor * y for x, y in zip(mix[other], mix[top], strict=True)]
        pivots.append(col)
    free = [c for c in range(n) if c not in pivots]
    row_of = {c: i for i, c in enumerate(pivots)}
    found = set()
    for u, cell in enumerate(unknowns):
        if u in row_of and not any(rows[row_of[u]][f] for f in free):
            weights = mix[row_of[u]]  # published sums that add up to this cell alone
            for j, other in enumerate(unknowns):
                total = sum(w for w, keys in zip(weights, sums, strict=True) if other in keys)
                assert total == (1 if j == u else 0)
            found.add(cell)
            continue
        f = u if u in free else next(f for f in free if rows[row_of[u]][f])
        change = {unknowns[c]: -rows[row_of[c]][f] for c in pivots}
        change[unknowns[f]] = Fraction(1)
        assert change[cell] != 0  # this cell moves ...
        for keys in sums:  # ... and every published sum stays the same
            assert sum(change.get(k, 0) for k in keys) == 0
    return found


def assert_protected(cells: dict[tuple, int], dimensions: int, hidden: set[tuple]) -> None:
    """No published sum has one hidden cell beside non-zero ones; no hidden cell can be worked
    back, unless no choice of non-zero cells could hide it."""
    sums = published_sums(cells, dimensions)
    for keys in sums:  # a second cell in the same row or column, wherever there is one
        if len(keys & hidden) == 1:
            assert not any(cells[k] for k in keys - hidden), sorted(keys, key=repr)
    exposed = recoverable(sums, sorted(hidden, key=repr))
    if exposed:
        everything = sorted((k for k, v in cells.items() if v), key=repr)
        assert exposed <= recoverable(sums, everything), "a cell can be worked back"


# --- tables ----------------------------------------------------------------------------------

COUNTS = st.one_of(st.none(), st.just(0), st.integers(1, 9), st.integers(1, 9),
                   st.integers(10, 60))


@st.composite
def tables(draw, dimensions=None, counts=COUNTS, least=1):
    """Random tables with many small counts; None leaves the combination out (a zero)."""
    d = draw(st.integers(1, 3) if dimensions is None else dimensions)
    most = {1: 6, 2: 5, 3: 3}.get(d, 2)
    sizes = [draw(st.integers(least, most)) for _ in range(d)]
    keys = list(itertools.product(*(LABELS[:n] for n in sizes)))
    values = draw(st.lists(counts, min_size=len(keys), max_size=len(keys)))
    return {k: v for k, v in zip(keys, values, strict=True) if v is not None}, d


# --- the pattern -----------------------------------------------------------------------------


@settings(deadline=None, max_examples=150)
@given(tables(dimensions=st.integers(0, 4)))
def test_no_published_cell_lies_from_1_to_9_and_no_zero_is_hidden(table):
    cells, dimensions = table
    hidden = suppression_pattern(cells, dimensions)
    assert {k for k, v in cells.items() if 1 <= v <= 9} <= hidden
    assert all(cells[k] for k in hidden)


@settings(deadline=None, max_examples=150)
@given(tables())
def test_no_suppressed_cell_can_be_worked_back_from_the_published_sums(table):
    cells, dimensions = table
    assert_protected(cells, dimensions, suppression_pattern(cells, dimensions))


@settings(deadline=None, max_examples=60)
@given(tables(dimensions=st.integers(2, 3), counts=st.integers(1, 40), least=2))
def test_a_full_table_hides_every_small_count_beyond_recovery(table):
    cells, dimensions = table
    outcome = plan(cells, dimensions)
    assert not outcome.unprotectable
    sums = published_sums(cells, dimensions)
    assert not recoverable(sums, sorted(outcome.suppressed, key=repr))


@settings(deadline=None, max_examples=50)
@given(tables(dimensions=st.integers(1, 4)), st.randoms(use_true_random=False))
def test_the_same_table_gives_the_same_pattern_in_any_order(table, rnd):
    cells, dimensions = table
    shuffled = list(cells.items())
    rnd.shuffle(shuffled)
    assert suppression_pattern(dict(shuffled), dimensions) == suppression_pattern(cells, dimensions)


def test_a_small_count_in_a_row_takes_the_smallest_cell_of_its_row_and_column():
    cells = {("a", "x"): 5, ("a", "y"): 20, ("a", "z"): 30,
             ("b", "x"): 40, ("b", "y"): 50, ("b", "z"): 60}
    assert suppression_pattern(cells, 2) == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}


def test_a_one_dimensional_table_never_hides_exactly_one_cell():
    assert suppression_pattern({("a",): 3, ("b",): 40, ("c",): 12}, 1) == {("a",), ("c",)}
    # A grand total from 1 to 9 is suppressed too, so a lone small cell gives nothing away.
    assert suppression_pattern({("a",): 3, ("b",): 0}, 1) == {("a",)}
    assert suppression_pattern({(): 4}, 0) == {()}


def test_a_large_one_dimensional_table_keeps_zero_or_two_plus_hidden_cells():
    rnd = random.Random(7)
    cells = {(f"{i:06}",): rnd.choice([0, 3, 12, 250]) for i in range(5000)}
    cells[("000000",)] = 2
    hidden = suppression_pattern(cells, 1)
    assert len(hidden) >= 2 and {k for k, v in cells.items() if 1 <= v <= 9} <= hidden


# --- protect() on a report result ------------------------------------------------------------


def result(rows, totals, dimensions, language="nl"):
    """A public Result of a report with a school count, pupil and voucher counts and a rate."""
    report = Report(
        id="test", title=_("Test"), question=_("?"),
        dimensions=("province", "level"),
        measures=(
            Measure("schools", _("schools")),
            Measure("pupils", _("pupils"), sensitive=True),
            Measure("issued", _("issued"), sensitive=True),
            Measure("activated", _("activated"), sensitive=True),
            Measure("activation_rate", _("activation rate"), kind=RATE,
                    rate_of=("activated", "issued")),
        ),
        compute=lambda parameters: (rows, totals),
    )
    parameters = Parameters(by=tuple(dimensions), public=True, language=language)
    return Result(report=report, parameters=parameters, generated_at=datetime.now(UTC),
                  dimensions=list(dimensions), rows=rows, totals=totals, labels={})


def row(province, schools, pupils, issued, activated):
    return {"province": province, "schools": schools, "pupils": pupils, "issued": issued,
            "activated": activated, "activation_rate": activated / issued}


def test_json_shows_null_and_the_flag_and_keeps_school_counts():
    rows = [row("antwerpen", 3, 4, 40, 30), row("gent", 2, 50, 60, 45),
            row("limburg", 1, 70, 12, 8)]
    out = result(rows, {"schools": 6, "pupils": 124, "issued": 112, "activated": 83,
                        "activation_rate": 83 / 112}, ["province"])
    protect(out)
    data = json.loads(json.dumps(out.as_json()))
    first = data["rows"][0]
    assert first["pupils"] is None and first["pupils_flag"] == "c"
    assert [r["schools"] for r in data["rows"]] == [3, 2, 1]  # not sensitive: as they are
    assert data["rows"][1]["pupils"] is None  # the second cell, smallest of the rest
    assert data["rows"][2]["pupils"] == 70 and "pupils_flag" not in data["rows"][2]
    assert data["totals"]["pupils"] == 124


def test_rates_follow_their_counts_in_rows_and_totals():
    rows = [row("antwerpen", 3, 40, 40, 30), row("gent", 2, 50, 60, 45),
            row("limburg", 1, 70, 12, 8)]
    out = result(rows, {"schools": 6, "pupils": 160, "issued": 112, "activated": 83,
                        "activation_rate": 83 / 112}, ["province"])
    protect(out)
    limburg, antwerpen = out.rows[2], out.rows[0]
    assert limburg["activated"] is None and limburg["issued"] == 12
    assert limburg["activation_rate"] is None and limburg["activation_rate_flag"] == "c"
    assert antwerpen["activated"] is None and antwerpen["activation_rate"] is None
    assert out.rows[1]["activation_rate"] == 45 / 60
    small = result([], {"schools": 1, "pupils": 0, "issued": 5, "activated": 2,
                        "activation_rate": 0.4}, [])
    protect(small)
    assert small.totals == {"schools": 1, "pupils": 0, "issued": None, "issued_flag": "c",
                            "activated": None, "activated_flag": "c",
                            "activation_rate": None, "activation_rate_flag": "c"}


@settings(deadline=None, max_examples=60)
@given(tables(dimensions=st.integers(0, 3)))
def test_non_sensitive_measures_are_untouched_and_sensitive_cells_never_show_1_to_9(table):
    cells, dimensions = table
    names = ["province", "level", "special"][:dimensions]
    rows = [{**dict(zip(names, key, strict=True)), "schools": v, "pupils": v, "issued": 0,
             "activated": 0} for key, v in cells.items()]
    before = [r["schools"] for r in rows]
    out = result(rows, {"schools": sum(cells.values()), "pupils": sum(cells.values())}, names)
    protect(out)
    assert [r["schools"] for r in out.rows] == before
    shown = [r["pupils"] for r in out.rows] + [out.totals["pupils"]]
    assert not any(v is not None and 1 <= v <= 9 for v in shown)
    assert all(r["pupils_flag"] == "c" for r in out.rows if r["pupils"] is None)


def test_every_public_report_states_the_rule_in_its_language():
    assert rule_text("nl").startswith("Aantallen leerlingen, vouchers en incidenten van 1 tot 9")
    assert "(x)" in rule_text("nl") and "percentages" in rule_text("nl")
    assert rule_text("en").startswith("Counts of pupils, vouchers and incidents from 1 to 9")
    for language in ("nl", "en"):
        out = result([], {"pupils": 40}, [], language=language)
        protect(out)
        assert out.as_json()["rule"] == rule_text(language)


def test_a_100000_row_one_dimensional_table_is_protected():
    # How fast is measured in bench/, not here; this is about a table that size working.
    rnd = random.Random(1)
    rows = [{"school": f"{i:06}", "schools": 1, "pupils": rnd.choice([0, 2, 7, 15, 300, 800]),
             "issued": 0, "activated": 0} for i in range(100_000)]
    out = result(rows, {"pupils": sum(r["pupils"] for r in rows)}, ["school"])
    protect(out)
    hidden = [r for r in out.rows if r["pupils"] is None]
    assert len(hidden) >= 2 and all(r["pupils_flag"] == "c" for r in hidden)
    assert not any(1 <= (r["pupils"] or 0) <= 9 for r in out.rows)
