"""Reads of the reports app: the releases, and the tables frozen when each was published."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ictmonitor.reports.models import Release, ReleaseTable

CACHED_TABLES = 16
_tables: OrderedDict[tuple[int, datetime], FrozenTable] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class FrozenTable:
    """A report's finest table on one release: its dimensions, its counts, a row per cell."""

    on: date
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def release_dates() -> list[date]:
    """Every release's reference date, oldest first."""
    return list(Release.objects.order_by("on").values_list("on", flat=True))


def release_stamp() -> tuple[tuple[date, datetime], ...]:
    """Each release's date and when it was made: what changes when releases do."""
    return tuple(Release.objects.order_by("on").values_list("on", "created_at"))


def latest_release() -> date | None:
    """The newest release's reference date, or None before the first."""
    return Release.objects.order_by("-on").values_list("on", flat=True).first()


def frozen_table(on: date, report_id: str) -> FrozenTable | None:
    """The report's table frozen when the release of `on` was published (None when there is
    none). A frozen table never changes, so it is kept in memory once read."""
    key = ReleaseTable.objects.filter(release__on=on, report=report_id).values_list(
        "pk", "release__created_at").first()  # a row id alone may be used again
    if key is None:
        return None
    with _lock:
        if key in _tables:
            _tables.move_to_end(key)
            return _tables[key]
    dimensions, measures, rows = ReleaseTable.objects.values_list(
        "dimensions", "measures", "rows").get(pk=key[0])
    table = FrozenTable(on, tuple(dimensions), tuple(measures), tuple(map(tuple, rows)))
    with _lock:
        _tables[key] = table
        while len(_tables) > CACHED_TABLES:
            _tables.popitem(last=False)
    return table
