"""One suppression plan for every public table of a family of units, over every release.

A family (pupils; vouchers) publishes many tables: any subset of its dimensions, on each
release. Each is a sum of the cells of the *finest* table (every dimension at once), and each
release's finest cell is the previous release's plus what was added since (counts only grow).
So the unknowns an attacker faces are *atoms*: a finest cell's increment in one period (the
first period's increment is the first release's count). Every published cell is a sum of atoms.

The plan groups atoms into *clusters*:
- every atom from 1 to 9 is in a cluster; so are the smallest atoms needed to make each cluster
  hold at least 10 more than its atoms' floors (1 each) and at least two atoms;
- a cluster's atoms share one period, and share as many dimensions as possible: first atoms that
  differ only in the first dimension of `drop_order` (the school), then in the first two, and
  so on; what is left over at the top forms one *closed* cluster.

A cell of the table by some dimensions on release n is published only if, for every cluster of
periods up to n, it holds all of that cluster's atoms or none of them, and it holds no atom of
period n's closed cluster; else it is suppressed. A closed cluster's atoms are added to the same
cells' atoms of the next period (with a floor of 1 for each period they grew in) and clustered
there: their own release hid every cell holding them, so only later releases count on them.

Why this protects every suppressed cell against anyone who solves every published cell together
(tests/reports/audit.py tries): moving counts between the atoms of one cluster, each kept at
its floor or more, changes no published cell, so a suppressed cell that splits a cluster can be
anything over a range at least 10 wide that reaches 10 or more. Cells from 1 to 9 are never
published: a cell holding a whole cluster holds at least 12, and one holding no cluster atom is
a sum of atoms of 10 or more (or 0).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SPREAD = 10  # a suppressed count can be anything over at least this wide a range, reaching 10

Key = tuple[Hashable, ...]


def _order(key: Key) -> tuple:
    """A total order on keys whatever their values' types (None, text, numbers)."""
    return tuple((x is None, type(x).__name__, str(x)) for x in key)


@dataclass
class Clusters:
    """The clusters of one period: each atom's cluster number, and the closed clusters."""

    of: dict[Key, int] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)


def cluster(atoms: Mapping[Key, int], drop_order: Sequence[int],
            floors: Mapping[Key, int] | None = None) -> Clusters:
    """The clusters of one period's atoms (finest key -> increment); see the module docstring.
    An atom's floor is the least it can be made (1; more for one carried from earlier periods:
    1 for each period it grew in, so no count shown as there becomes 0 or shrinks)."""
    floor = (lambda k: floors.get(k, 1)) if floors else (lambda k: 1)
    out = Clusters()
    if not atoms:
        return out
    numbers = iter(range(1, len(atoms) + 1))
    # Small: from 1 to 9, or (carried) less than 10 above its floor.
    pending = sorted((k for k, v in atoms.items() if v >= 1 and v - floor(k) < SPREAD - 1),
                     key=_order)
    used: set[Key] = set(pending)
    spare = sorted((k for k in atoms if k not in used), key=lambda k: (atoms[k], _order(k)))
    kept = [i for i in range(len(next(iter(atoms)))) if i not in drop_order]
    for level in range(1, len(drop_order) + 1):
        if not pending:
            return out
        fixed = sorted(kept + list(drop_order[level:]))
        groups: dict[Key, list[Key]] = defaultdict(list)
        for key in pending:
            groups[tuple(key[i] for i in fixed)].append(key)
        helpers: dict[Key, list[Key]] = defaultdict(list)
        for key in spare:  # smallest first
            if key not in used:
                helpers[tuple(key[i] for i in fixed)].append(key)
        pending = []
        for group, members in sorted(groups.items(), key=lambda item: _order(item[0])):
            slack = sum(atoms[k] - floor(k) for k in members)
            for extra in helpers.get(group, ()):
                if len(members) >= 2 and slack >= SPREAD:
                    break
                members.append(extra)
                used.add(extra)
                slack += atoms[extra] - floor(extra)
            if len(members) >= 2 and slack >= SPREAD:
                out.of.update(dict.fromkeys(members, next(numbers)))
            else:
                pending.extend(members)  # merged with its neighbours one level up
    if pending:
        number = next(numbers)
        out.of.update(dict.fromkeys(pending, number))
        out.closed.add(number)
    return out


@dataclass
class LinkedPlan:
    """The clusters of every period of one measure, over the finest dimensions."""

    dimensions: tuple[str, ...]
    periods: list[Clusters]

    def suppressed(self, dimensions: Sequence[str], release: int) -> set[Key]:
        """The cells of the table by these dimensions, on release number `release` (0-based,
        counting the periods planned), that must be suppressed."""
        where = [self.dimensions.index(d) for d in dimensions]
        hidden: set[Key] = set()
        for period, clusters in enumerate(self.periods[:release + 1]):
            cells: dict[int, set[Key]] = defaultdict(set)
            for key, number in clusters.of.items():
                cells[number].add(tuple(key[i] for i in where))
            for number, keys in cells.items():
                if number in clusters.closed:
                    if period == release:  # later, the next period's clusters hold its atoms
                        hidden |= keys
                elif len(keys) > 1:
                    hidden |= keys
        return hidden


def plan_linked(dimensions: Sequence[str], releases: Iterable[Mapping[Key, int]],
                drop_order: Sequence[str]) -> LinkedPlan:
    """The plan for the finest tables of one measure on each release, oldest first (finest key
    -> count); `drop_order` names the dimensions clusters may differ in, most expendable first
    (the others are never summed over: separate tables, like school years)."""
    dims = tuple(dimensions)
    drop = [dims.index(d) for d in drop_order]
    periods: list[Clusters] = []
    before: Mapping[Key, int] = {}
    carried: dict[Key, int] = {}
    floors: dict[Key, int] = {}
    for cells in releases:
        atoms = {k: v - before.get(k, 0) for k, v in cells.items() if v - before.get(k, 0)}
        if any(v < 0 for v in atoms.values()) or any(
                v > 0 and k not in cells for k, v in before.items()):
            raise ValueError("a count fell between releases; counts may only grow")
        grown = dict.fromkeys(atoms, 1)
        for key, value in carried.items():  # a closed cluster's atoms join the next period's
            grown[key] = floors[key] + (1 if key in atoms else 0)
            atoms[key] = atoms.get(key, 0) + value
        clusters = cluster(atoms, drop, grown)
        closed = [k for k, n in clusters.of.items() if n in clusters.closed]
        carried = {k: atoms[k] for k in closed}
        floors = {k: grown[k] for k in closed}
        periods.append(clusters)
        before = dict(cells)
    return LinkedPlan(dims, periods)
