"""Benchmark: the auditor's attack on every public table of the demo's sensitive reports.

    ICTMONITOR_DATA_DIR=DIR .venv/bin/python bench/disclosure_audit.py [--largest 3]

DIR holds a loaded demo (`ICTMONITOR_DATA_DIR=DIR ictmonitor demo --scale 1 --no-serve`: the
national dataset, with its releases). For `pupils` (every school year) and `voucher-summary`
(every release), reads every public table — every subset of up to `--largest` dimensions — and
solves them together with an integer program per suppressed cell (tests/reports/audit.py),
then prints and writes to bench/out/disclosure-audit.json: tables, suppressed cells, integer
programs solved, narrowed cells (the goal: 0) and the seconds it took. Also the time of each
sensitive report's public page at its usual breakdown (the goal: under 300 ms). A benchmark,
not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from tests.reports.audit import attack  # noqa: E402

from ictmonitor.registry.selectors import school_years  # noqa: E402
from ictmonitor.reports.engine import get_report  # noqa: E402
from ictmonitor.reports.selectors import release_dates  # noqa: E402


def main() -> None:
    """Attack, time, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--largest", type=int, default=3,
                        help="the most dimensions a table has (default 3)")
    parser.add_argument("--sample", type=int, default=None,
                        help="attack this many suppressed cells per measure, chosen at random "
                             "(default: every one)")
    args = parser.parse_args()
    releases = release_dates()
    if not releases:
        sys.exit("no releases: load the demo first (ictmonitor demo --no-serve)")
    out: dict[str, object] = {"releases": [d.isoformat() for d in releases],
                              "sample": args.sample}
    years = [int(y[:4]) for y in school_years()]
    plan: list[tuple[str, list[date | None]]] = [("pupils", [None]),
                                                 ("voucher-summary", list(releases))]
    for report_id, dates in plan:
        started = time.monotonic()
        audit = attack(get_report(report_id), dates, years=years, largest=args.largest,
                       sample=args.sample)
        seconds = time.monotonic() - started
        out[report_id] = {
            "tables": audit.tables, "suppressed": audit.suppressed, "solved": audit.solved,
            "narrowed": len(audit.narrowed), "seconds": round(seconds, 1),
            "examples": [f"{f.measure} {f.table} {f.key}: {f.low}..{f.high}"
                         for f in audit.narrowed[:10]],
        }
        print(f"{report_id}: {audit.tables} tables, {audit.suppressed} suppressed cells, "
              f"{audit.solved} integer programs, {len(audit.narrowed)} narrowed, "
              f"{seconds:.1f} s", flush=True)
    out["pages"] = pages()
    folder = ROOT / "bench" / "out"
    folder.mkdir(exist_ok=True)
    (folder / "disclosure-audit.json").write_text(json.dumps(out, indent=2) + "\n")


def pages(runs: int = 20) -> dict[str, dict[str, float]]:
    """Each sensitive report's public page at its usual breakdown and by school: p50 and p95."""
    # The pages' static names need no collected manifest here (as bench/home_pages.py).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    timings: dict[str, dict[str, float]] = {}
    client = Client(HTTP_HOST="localhost")
    for report_id in ["pupils", "voucher-summary"]:
        for query in [{}, {"by": "school"}]:
            url = reverse("public:report", kwargs={"report_id": report_id})
            seconds = []
            for _ in range(runs):
                started = time.perf_counter()
                answer = client.get(url, query)
                seconds.append(time.perf_counter() - started)
                assert answer.status_code == 200, (url, query, answer.status_code)
            seconds.sort()
            name = f"{report_id} {query.get('by', 'usual')}"
            timings[name] = {"p50_ms": round(statistics.median(seconds) * 1000),
                             "p95_ms": round(seconds[int(0.95 * (runs - 1))] * 1000)}
            print(f"page {name}: p50 {timings[name]['p50_ms']} ms, "
                  f"p95 {timings[name]['p95_ms']} ms", flush=True)
    return timings


if __name__ == "__main__":
    main()
