"""Which kind of file a header belongs to when it is not the kind chosen: a pupil-count file
uploaded as a school list is named as such ("this looks like a pupil-count file"), rather than
refused with a "missing from the header" line for each of the school list's columns.

Every `Contract` subclass with a `kind` is known here (`known`); the contracts of the kinds
registered with core (core/importkinds.py) are loaded first, so each one is known when asked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from django.utils.module_loading import import_string

from ictmonitor.core import importkinds
from ictmonitor.core.csvfiles import HeaderError, read_header

CONTRACTS: dict[str, Any] = {}  # a contract's kind → its class, as the classes are defined


def known(contract_class: Any) -> None:
    """Remember a contract class by its kind (called as each subclass is defined)."""
    kind = getattr(contract_class, "kind", None)
    if isinstance(kind, str) and kind and contract_class.__module__.startswith("ictmonitor."):
        CONTRACTS[kind] = contract_class  # the platform's own, not a test's made-up kind


def _load_registered() -> None:
    """Import the modules of the registered kinds' importers, which define their contracts."""
    for kind in list(importkinds.KINDS.values()):
        if isinstance(kind.importer, str):
            with contextlib.suppress(ImportError):
                import_string(kind.importer)


def fitting_kinds(cells: Sequence[str]) -> list[str]:
    """The kinds of every contract whose every required column this header has (an upload page
    asks it before it queues a file: jobs/recognised.py)."""
    _load_registered()
    found = []
    for kind, contract_class in CONTRACTS.items():
        try:
            read_header(list(cells), contract_class.columns)
        except HeaderError:
            continue
        found.append(kind)
    return found


def looks_like(cells: Sequence[str], chosen: str) -> str | None:
    """The kind of another contract whose every required column this header has, or None."""
    _load_registered()
    for kind, contract_class in CONTRACTS.items():
        if kind == chosen:
            continue
        try:
            read_header(list(cells), contract_class.columns)
        except HeaderError:
            continue
        return kind
    return None
