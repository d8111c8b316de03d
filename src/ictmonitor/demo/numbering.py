"""How many institutions of each level and province a scale gives, and the numbers they carry.

Boards, school groups and pupil guidance centres (clb) are drawn from pools, one per network and
province (and level, for school groups), sized from the expected number of institutions in it.
A pool member's number is computed from its index: nothing grows in memory with the scale.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from ictmonitor.demo.tables import (
    BOARD_SIZE,
    CLB_SIZE,
    GROUP_SIZE,
    LEVEL_ORDER,
    LEVEL_PROVINCE_COUNTS,
    TYPES,
)

# School numbers grow by 1 to MAX_GAP from FIRST_NUMBER on, like the published list's.
FIRST_NUMBER = 1000
MAX_GAP = 11


def largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split a whole number over keys in proportion to their weights, exactly."""
    whole = sum(weights.values())
    shares = {key: total * weight / whole for key, weight in weights.items()}
    counts = {key: int(share) for key, share in shares.items()}
    short = total - sum(counts.values())
    for key in sorted(shares, key=lambda k: (counts[k] - shares[k], k))[:short]:
        counts[key] += 1
    return counts


def level_counts(scale: float) -> dict[str, dict[str, int]]:
    """Institutions per level and provinciecode at a scale (at least one per level)."""
    counts = {}
    for level in LEVEL_ORDER:
        provinces = LEVEL_PROVINCE_COUNTS[level]
        total = max(1, round(sum(provinces.values()) * scale))
        counts[level] = largest_remainder(total, provinces)
    return counts


@dataclass
class Pool:
    """A run of numbers an institution's board, school group or clb is drawn from."""

    offset: int
    size: int
    skew: float = 1.0

    def pick(self, rng: random.Random) -> int:
        """The global index of one member; with skew > 1 the first members are picked more."""
        return self.offset + min(self.size - 1, int(self.size * rng.random() ** self.skew))


@dataclass
class Numbering:
    """The pools and number bands of one dataset."""

    counts: dict[str, dict[str, int]]
    boards: dict[tuple[str, str], Pool] = field(default_factory=dict)
    groups: dict[tuple[str, str, str], Pool] = field(default_factory=dict)
    clbs: dict[tuple[str, str], Pool] = field(default_factory=dict)
    band: int = 0

    def __post_init__(self) -> None:
        total = sum(sum(p.values()) for p in self.counts.values())
        # Schools stay below `band`; boards, groups and centres each get a band of their own.
        self.band = 10 ** len(str(FIRST_NUMBER + MAX_GAP * total))
        expected_board: dict[tuple[str, str], float] = {}
        expected_group: dict[tuple[str, str, str], float] = {}
        expected_clb: dict[tuple[str, str], float] = {}
        for level, provinces in self.counts.items():
            mix = TYPES[level]
            weight = sum(n for _kind, _net, n in mix)
            for province, count in provinces.items():
                for _kind, net, n in mix:
                    share = count * n / weight
                    if not net:
                        continue
                    expected_board[net, province] = expected_board.get((net, province), 0) + share
                    if level in ("BaO", "SO"):
                        key = (level, net, province)
                        expected_group[key] = expected_group.get(key, 0) + share
                        expected_clb[net, province] = expected_clb.get((net, province), 0) + share
        self.boards = _pools(expected_board, lambda key: BOARD_SIZE[key[0]], skew=2.5)
        self.groups = _pools(expected_group, lambda key: GROUP_SIZE)
        self.clbs = _pools(expected_clb, lambda key: CLB_SIZE)

    def board(self, index: int) -> str:
        """The number of board `index`."""
        return str(self.band + _spread(index))

    def group(self, index: int) -> str:
        """The number of school group `index`."""
        return str(2 * self.band + _spread(index))

    def clb(self, index: int) -> str:
        """The number of pupil guidance centre `index`."""
        return str(3 * self.band + _spread(index))


def _spread(index: int) -> int:
    """Unique, irregular-looking numbers: index * 10 plus a digit that depends on it."""
    return 10 * index + (index * 7 + 3) % 10


def _pools[K](expected: dict[K, float], size_of: Callable[[K], float],
               skew: float = 1.0) -> dict[K, Pool]:
    pools = {}
    offset = 0
    for key in sorted(expected):  # type: ignore[type-var]
        size = max(1, round(expected[key] / size_of(key)))
        pools[key] = Pool(offset, size, skew)
        offset += size
    return pools


def company_number(body: int) -> str:
    """A KBO enterprise number with a valid check (97 - body mod 97), as the list writes it."""
    digits = f"{body:08d}{97 - body % 97:02d}"
    return f'"KBO  {digits[:4]}.{digits[4:7]}.{digits[7:]}"'
