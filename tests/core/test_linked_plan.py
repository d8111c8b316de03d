"""The linked plan (core/disclosure/linked.py) on random finest tables over several releases:
what it promises of every table by any dimensions, checked by plain sums (the integer-program
attack on real reports is tests/reports/test_disclosure_audit.py)."""

from __future__ import annotations

import itertools
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from ictmonitor.core.disclosure.linked import plan_linked

DIMENSIONS = ("school", "board", "level")


@st.composite
def releases(draw):
    """Two or three releases of a finest table (school, board, level); counts only grow."""
    schools = draw(st.integers(2, 14))
    keys = [(f"s{n}", f"b{n % 3}", f"l{n % 2}") for n in range(schools)]
    counts = {k: draw(st.integers(0, 40)) for k in keys}
    out = [dict(counts)]
    for _ in range(draw(st.integers(1, 2))):
        counts = {k: v + draw(st.sampled_from([0, 0, 1, 3, 12])) for k, v in counts.items()}
        out.append(dict(counts))
    return [{k: v for k, v in table.items() if v} for table in out]


def table(cells, by):
    """The sums of the finest cells by these dimensions."""
    where = [DIMENSIONS.index(d) for d in by]
    sums: dict[tuple, int] = defaultdict(int)
    for key, value in cells.items():
        sums[tuple(key[i] for i in where)] += value
    return sums


@settings(max_examples=150, deadline=None)
@given(releases())
def test_no_table_on_any_release_shows_a_count_from_1_to_9(tables):
    plan = plan_linked(DIMENSIONS, tables, ["school", "board", "level"])
    for n, cells in enumerate(tables):
        for size in range(len(DIMENSIONS) + 1):
            for by in itertools.combinations(DIMENSIONS, size):
                hidden = plan.suppressed(by, n)
                shown = {k: v for k, v in table(cells, by).items() if k not in hidden}
                assert not [v for v in shown.values() if 1 <= v <= 9], (by, n, shown)

