"""Which unknowns of a system of sums are fixed by it: exact Gaussian elimination."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from math import gcd


def determined(unknowns: Sequence[Hashable], equations: Iterable[Iterable[Hashable]]) -> set:
    """The unknowns whose value follows from equations that each sum some of them."""
    # An unknown is fixed exactly when its unit vector lies in the row space of the equations.
    # In reduced row echelon form that means: its pivot row has no other non-zero entry.
    # Rows are kept as integers divided by their gcd (fraction-free elimination): the same
    # exact rational arithmetic as Fractions, several times faster.
    index = {u: i for i, u in enumerate(unknowns)}
    rows = {frozenset(index[u] for u in equation) for equation in equations}
    pivots: dict[int, dict[int, int]] = {}
    # Short sums first (lines before planes before the grand total): less fill-in.
    for columns in sorted(rows, key=lambda r: (len(r), sorted(r))):
        row = dict.fromkeys(columns, 1)
        # Pivot rows are kept fully reduced, so they hold no other pivot column: one pass will do.
        for p in [c for c in row if c in pivots]:
            row = _eliminate(row, p, pivots[p])
        if not row:
            continue
        p = min(row)
        for q, other in pivots.items():
            if p in other:
                pivots[q] = _eliminate(other, p, row)
        pivots[p] = row
    return {unknowns[p] for p, row in pivots.items() if len(row) == 1}


def _eliminate(row: dict[int, int], p: int, pivot: dict[int, int]) -> dict[int, int]:
    """A multiple of row minus a multiple of pivot without column p, divided by its gcd."""
    a, b = row[p], pivot[p]
    out = {c: v * b for c, v in row.items()}
    for c, v in pivot.items():
        value = out.get(c, 0) - a * v
        if value:
            out[c] = value
        else:
            del out[c]
    divisor = gcd(*out.values())
    return {c: v // divisor for c, v in out.items()} if divisor > 1 else out
