"""Which cells of a table of counts to suppress so that no count from 1 to 9 is shown or derivable.

The model of what a reader knows (the "worst case" reports.md asks us to assume):

- every published cell, and every absent cell (a combination with nothing in it is zero);
- every marginal: the sum over any non-empty set of dimensions with the others fixed (the line
  sums, and for 3+ dimensions also plane sums and so on, up to the grand total), because the
  same report broken down by fewer dimensions publishes them. A marginal from 1 to 9 is itself
  suppressed wherever it is shown, so it is no equation; without that, a line whose only
  non-zero cell is small would give that cell away and nothing could hide it.

A suppressed cell is *determined* when its unit vector lies in the row space of those sums
restricted to the suppressed cells. We guarantee:

1. every cell from 1 to 9 is suppressed; zeros never are;
2. no published marginal holds exactly one suppressed cell and another non-zero cell (the
   combinatorial rule: "a second cell in the same row or column");
3. where suppressed cells linked by shared marginals number at most EXACT_LIMIT (checked per
   linked part, so big tables of scattered small counts still get it), none is determined:
   checked exactly, by Gaussian elimination in integers. Larger parts get 2 only. With one
   dimension the only equation is the grand total, so there 2 is already exact.

3 does not hold for *unprotectable* cells: those that stay determined whichever non-zero
cells are suppressed, because every other cell they could hide behind is alone in a published
marginal (it equals it) or zero. They are still suppressed, with a second cell where 2 asks for
one, so this table and its grand total alone give nothing away; plan() names them. The worst
case overstates them: a coarser report hides the partners of its own small totals.
"""

from __future__ import annotations

import functools
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ictmonitor.core.disclosure.algebra import determined

EXACT_LIMIT = 400

Key = tuple
Group = tuple[int, tuple]  # (bit mask of the dimensions summed over, values of the others)


def is_small(value: float) -> bool:
    """Whether a count falls under the rule: from 1 to 9."""
    return 1 <= value <= 9


def suppression_pattern(cells: dict[Key, int], dimensions: int) -> set[Key]:
    """The keys of the cells to suppress: those from 1 to 9, and those that would give them away."""
    return plan(cells, dimensions).suppressed


@dataclass
class Plan:
    """The suppressed cells, and those among them that no suppression here can protect."""

    suppressed: set[Key] = field(default_factory=set)
    unprotectable: set[Key] = field(default_factory=set)


def plan(cells: dict[Key, int], dimensions: int) -> Plan:
    """The suppression pattern of a table, with the cells it cannot protect."""
    table = _Table(cells, dimensions)
    table.suppress([key for key, value in cells.items() if 1 <= value <= 9])
    table.close()
    table.make_undetermined()
    return Plan(table.suppressed, table.unprotectable)


def _linked(keys: Iterable[Key], groups: Iterable[list[Key]]) -> dict[Key, list[Key]]:
    """For each key, the keys it is linked to through shared groups (itself included)."""
    parent = {k: k for k in keys}

    def root(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for group in groups:
        if len(group) > 1:
            first = root(group[0])
            for k in group[1:]:
                r = root(k)
                if r != first:
                    parent[r] = first
    parts: dict[Key, list[Key]] = defaultdict(list)
    for k in parent:
        parts[root(k)].append(k)
    for part in parts.values():
        if len(part) <= EXACT_LIMIT:  # the only ones whose order matters (ties, exact check)
            part.sort(key=_order)
    return {k: part for part in parts.values() for k in part}


def _fixer(indices: list[int]) -> Callable[[Key], tuple]:
    """The values of a key at these positions, as a tuple (itemgetter's only for 2+)."""
    if len(indices) == 1:
        i = indices[0]
        return lambda key: (key[i],)
    return itemgetter(*indices) if indices else lambda key: ()


def _order(key: Any) -> tuple[Any, ...]:
    """A total order on keys whatever their values' types (None, text, numbers), for ties."""
    return tuple((x is None, type(x).__name__, str(x)) for x in key)


class _Table:
    """The cells, their published marginals, and the pattern being built."""

    def __init__(self, cells: dict[Key, int], dimensions: int) -> None:
        # A zero cell is published and adds nothing to a sum: like an absent one, it is known.
        self.cells = cells = {k: v for k, v in cells.items() if v}
        sums: dict[Group, int] = defaultdict(int)
        members: dict[Group, list[Key]] = defaultdict(list)
        self.dimensions = dimensions
        # For each set of dimensions summed over (a bit mask): the values of the others.
        self.fixers = {mask: _fixer([i for i in range(dimensions) if not mask >> i & 1])
                       for mask in range(1, 1 << dimensions)}
        for mask, fix in self.fixers.items():
            if mask == (1 << dimensions) - 1:  # the grand total, a 1-D table's only marginal
                members[mask, ()] = list(cells)
                sums[mask, ()] = sum(cells.values())
                continue
            for key, value in cells.items():
                group = (mask, fix(key))
                members[group].append(key)
                sums[group] += value
        # A marginal from 1 to 9 is suppressed wherever it is shown: it is no equation.
        self.members = {g: ks for g, ks in members.items() if sums[g] > 9}
        # A cell alone in a published marginal equals it: suppressing it hides nothing.
        self.dead = {ks[0] for ks in self.members.values() if len(ks) == 1}
        # How many cells of a marginal could be suppressed to some effect.
        self.helpers = {g: sum(1 for k in ks if k not in self.dead) if self.dead else len(ks)
                        for g, ks in self.members.items()}
        self.hidden: dict[Group, int] = dict.fromkeys(self.members, 0)
        self.suppressed: set[Key] = set()
        self.unprotectable: set[Key] = set()
        self.protectable: set[Key] = set()
        self.queue: list[tuple[tuple, Group]] = []
        # Lines first (the "same row or column" of the rule), then wider marginals; ties by key.
        self.rank = {g: (bin(g[0]).count("1"), g[0], _order(g[1]), i)
                     for i, g in enumerate(self.members)}
        self.exact_cache: dict[frozenset, set[Key]] = {}
        self.parts: list[list[Key]] | None = None
        self.reachable: dict[Key, list[Key]] | None = None

    def suppress(self, keys: Iterable[Key]) -> None:
        """Suppress these cells; the marginals they are in now need a look."""
        self.parts = None
        hidden, queue, rank = self.hidden, self.queue, self.rank
        for key in keys:
            self.suppressed.add(key)
            for group in self.groups_of(key):
                hidden[group] += 1
                if hidden[group] == 1:
                    heapq.heappush(queue, (rank[group], group))

    def groups_of(self, key: Key) -> list[Group]:
        """The published marginals a cell is in (worked out, not stored: tables can be big)."""
        return [g for g in ((mask, fix(key)) for mask, fix in self.fixers.items())
                if g in self.members]

    def doomed(self, key: Key, within: Group | None) -> bool:
        """Whether suppressing this cell would leave it alone and unprotectable in a marginal."""
        return any(g != within and self.hidden[g] == 0 and self.helpers[g] <= 1
                   for g in self.groups_of(key))

    def best(self, groups: list[Group], within: Group | None = None) -> Key | None:
        """The smallest non-zero published cell of these marginals that can help, or None."""
        pool = {k for g in groups for k in self.members[g]
                if k not in self.suppressed and k not in self.dead}
        fallback = None
        # The smallest that is not doomed (else the smallest), ties by key; a value at a time,
        # so that a 100,000-cell line looks at its few smallest cells only.
        while pool:
            value = min(map(self.cells.__getitem__, pool))
            ties = [k for k in pool if self.cells[k] == value]
            good = [k for k in ties if not self.doomed(k, within)]
            if good:
                return min(good, key=_order)
            if fallback is None:
                fallback = min(ties, key=_order)
            pool.difference_update(ties)
        return fallback

    def close(self) -> None:
        """Until no published marginal holds exactly one suppressed cell, suppress a second."""
        while self.queue:
            _, group = heapq.heappop(self.queue)
            if self.hidden[group] != 1:
                continue
            lone = next(k for k in self.members[group] if k in self.suppressed)
            partner = self.best([group], within=group)
            if partner is None:
                # Every other non-zero cell here is alone in a published marginal, so under the
                # worst case the lone one is known whatever we do. Still hide a second cell, as
                # the rule says: then only that worst case, not this table, gives it away.
                self.unprotectable.add(lone)
                partner = min((k for k in self.members[group] if k not in self.suppressed),
                              key=lambda k: (self.cells[k], _order(k)), default=None)
            if partner is not None:
                self.suppress([partner])

    def components(self) -> list[list[Key]]:
        """The suppressed cells, split where no published marginal links them, up to the limit."""
        if self.parts is None:
            linked = _linked(self.suppressed, ([k for k in ks if k in self.suppressed]
                                               for g, ks in self.members.items()
                                               if self.hidden[g] >= 2))
            # Only parts the exact check will see need an order (a 1-D table has one huge part).
            small = {id(p): p for p in linked.values() if len(p) <= EXACT_LIMIT}
            self.parts = sorted(small.values(), key=lambda p: _order(p[0]))
        return self.parts

    @functools.cache  # noqa: B019 - one table, one plan: the cache dies with it
    def implied(self, group: Group) -> bool:
        """Whether this sum over 2+ dimensions is the sum of published sums over one fewer."""
        # Dropping these rows changes no row space, and spares the elimination most of its work.
        mask = group[0]
        for i in range(self.dimensions):
            finer = mask & ~(1 << i)
            if finer != mask and finer:
                fix = self.fixers[finer]
                if all((finer, fix(k)) in self.members for k in self.members[group]):
                    return True
        return False

    def fixed(self, unknowns: list[Key]) -> set[Key]:
        """Which of these suppressed cells the published marginals determine (exactly)."""
        name = frozenset(unknowns)
        if name not in self.exact_cache:
            groups = {g for k in unknowns for g in self.groups_of(k) if not self.implied(g)}
            equations = [[k for k in self.members[g] if k in name] for g in groups]
            # Neighbours in key order share lines: numbering them so keeps elimination sparse.
            self.exact_cache[name] = determined(sorted(unknowns, key=_order), equations)
        return self.exact_cache[name]

    def reach(self, start: Key) -> list[Key] | None:
        """Every cell that could be suppressed and linked to this one, or None if too many."""
        if self.reachable is None:
            # Dead cells are known however they are shown, so they link nothing: the parts
            # never change, compute them once.
            self.reachable = _linked(
                (k for k in self.cells if k not in self.dead),
                ([k for k in ks if k not in self.dead] for ks in self.members.values()))
        part = self.reachable.get(start, [start])
        return part if len(part) <= EXACT_LIMIT else None

    def make_undetermined(self) -> None:
        """While a suppressed cell is determined, suppress another cell near it (then close)."""
        if len(self.members) <= 1:
            return  # one equation: close() already left it 0 or 2+ unknowns, none determined
        while True:
            target, part = None, []
            for part in self.components():
                open_ = self.fixed(part) - self.unprotectable
                if open_:
                    target = min(open_, key=_order)
                    break
            if target is None:
                return
            if target not in self.protectable:
                widest = self.reach(target)
                if widest is not None and target in self.fixed(widest):
                    self.unprotectable.add(target)  # fixed even with all it could hide behind
                    continue
                self.protectable.add(target)  # so adding cells near it will get there
            mine = self.groups_of(target)
            lines = [g for g in mine if bin(g[0]).count("1") == 1]
            near = sorted({g for k in part for g in self.groups_of(k)},
                          key=lambda g: (g[0], _order(g[1])))
            partner = next((p for p in map(self.best, (lines, mine, near)) if p is not None), None)
            if partner is None:
                self.unprotectable.add(target)
            else:
                self.suppress([partner])
                self.close()
