"""A file imported with its contract's fast reading and then with the generic one, for the
tests that both stage the same rows and name the same problems (core/quickrows.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ictmonitor.core.bulk import Stage
from ictmonitor.core.pipeline import Contract
from ictmonitor.core.problems import ImportRefused


def read_both(contract: type[Contract], importer: Callable[..., Any], path: Path,
              monkeypatch: Any, **kwargs: Any) -> list[tuple[list[tuple], list[str]]]:
    """(staged rows, problems) of the file read fast, then read by the generic reading."""
    staged: list[tuple] = []
    insert = Stage.insert

    def kept(stage: Stage, batch: list[tuple]) -> None:
        staged.extend(batch)
        insert(stage, batch)
    monkeypatch.setattr(Stage, "insert", kept)
    outcomes = []
    for quick in (True, False):
        if not quick:
            monkeypatch.setattr(contract, "row_reader", lambda *args: None)
        staged.clear()
        try:
            importer(path, actor="test", **kwargs)
            problems: list[str] = []
        except ImportRefused as refused:
            problems = refused.problems.lines()
        outcomes.append((list(staged), problems))
    return outcomes
