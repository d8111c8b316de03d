"""Time every report in every format, and its hand-written SQL, on the configured database.

Run by bench/reports.py in a fresh process; prints one JSON document.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from ictmonitor.reports.definitions import Parameters  # noqa: E402
from ictmonitor.reports.engine import catalogue, run_report  # noqa: E402
from ictmonitor.reports.exporters import export  # noqa: E402
from report_queries import QUERIES, parameters  # noqa: E402

REPEATS = 3


def best(work: Callable[[], object]) -> float:
    """The fastest of a few runs, in seconds (the first run also warms the caches)."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def hand_written(sql: str) -> Callable[[], object]:
    """Run the reference query and fetch every row."""
    at = timezone.localdate()

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters(at))
            return cursor.fetchall()

    return run


def main() -> None:
    """Measure and print."""
    formats = sys.argv[1].split(",") if len(sys.argv) > 1 else ["json", "csv", "xlsx", "pdf"]
    out = {}
    for report in catalogue().values():
        parameters = Parameters(by=tuple(report.typical_by))
        entry: dict[str, object] = {"by": list(report.typical_by)}
        entry["report"] = best(lambda r=report, p=parameters: run_report(r, p))
        for fmt in formats:
            entry[fmt] = best(lambda r=report, p=parameters, f=fmt: export(run_report(r, p), f))
        if report.id in QUERIES:
            entry["sql"] = best(hand_written(QUERIES[report.id]))
            entry["ratio"] = entry["report"] / entry["sql"]  # type: ignore[operator]
        out[report.id] = entry
    print(json.dumps(out))


if __name__ == "__main__":
    main()
