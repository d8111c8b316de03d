"""Joining the grouped rows of several queries into one row per combination of dimensions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def merge_rows(by: Sequence[str], *groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per dimension key; each query contributes its measures (0 where it had none)."""
    merged: dict[tuple, dict[str, Any]] = {}
    measures: list[str] = []
    for rows in groups:
        for row in rows:
            key = tuple(row[d] for d in by)
            target = merged.setdefault(key, {d: row[d] for d in by})
            for name, value in row.items():
                if name not in by:
                    target[name] = value
                    if name not in measures:
                        measures.append(name)
    for row in merged.values():
        for name in measures:
            row.setdefault(name, 0)
    return list(merged.values())
