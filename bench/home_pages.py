"""Benchmark: each role's home (/home/, the board's matrix filtered, sorted and downloaded) on
the national demo, through Django's test client in one process (no network).

    ictmonitor demo --no-serve                      # once, into $ICTMONITOR_DATA_DIR
    .venv/bin/python bench/home_pages.py [--runs 20]

Times every page `--runs` times after one warm-up and prints the median and the 95th
percentile per page, and the queries each took; writes bench/out/home-pages.json. The demo's
logins (coordinator, board, provider, analyst, admin) must exist. A benchmark, not a test:
issue 17 asks each page under 300 ms p95 on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")

PAGES = [
    ("coordinator", "/home/"),
    ("board", "/home/"),
    ("board", "/home/board/?lacks=firewall&label=without"),
    ("board", "/home/board/?sort=area-infrastructure&order=desc&page=1"),
    ("board", "/home/board/?download=csv"),
    ("board", "/home/board/?download=xlsx"),
    ("provider", "/home/"),
    ("analyst", "/home/"),
    ("admin", "/home/"),
]


def main() -> None:
    """Measure each page and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ictmonitor.accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    # the pages' static names need no collected manifest here
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    found = []
    for username, url in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        found.append({"role": username, "url": url, "median_ms": round(statistics.median(times)),
                      "p95_ms": round(p95), "queries": len(queries.captured_queries)})
        print(f"{username:12} {url:58} median {statistics.median(times):5.0f} ms  "
              f"p95 {p95:5.0f} ms  {len(queries.captured_queries):3} queries")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "home-pages.json").write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
