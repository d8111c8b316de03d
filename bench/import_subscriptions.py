"""Benchmark: importing a million-line provider feed, against the database's own bulk loader.

    .venv/bin/python bench/import_subscriptions.py [--lines 1000000] [--scale 20]
                                                   [--database sqlite|postgresql|both]

Generates the demo's school list at a scale (20: about 125,000 locations) and a feed of lines
over its locations (contracts/subscriptions.md): each location gets a history of lines from
2008 on, the last still running, with the demo feed's offers, modules and bandwidths. On each
database, fresh databases that already hold the schools import a tenth of the feed and all of it
(peak memory should not grow with the file), then all of it again (nothing changes), then the
database's own loader (PostgreSQL COPY, SQLite executemany) puts the same rows into
connectivity_subscription, with the same keys and indexes. Writes rows per second, the ratio and
peak memory to bench/out/import_subscriptions.json. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_schools import _database, child, fresh  # noqa: E402

GOAL = 0.6
FIRST, LAST = date(2008, 1, 1), date(2025, 12, 31)
MANAGED_KINDS = ("firewall", "backup", "backup-firewall", "managed", "managed")


def write_feed(schools: Path, path: Path, lines: int, seed: int = 1) -> int:
    """`lines` lines spread over every location of the school list; returns how many."""
    import django

    django.setup()  # the demo's feed readers load the catalogue's models (no table is read)
    from ictmonitor.demo.connectivity import (
        COLUMNS,
        catalogue_tiers,
        line_row,
        managed_modules,
        pick_tier,
        read_schools,
        tiers_on,
    )

    locations = sum(len(s.locations) for s in read_schools(schools))
    rng, tiers = random.Random(seed), catalogue_tiers()
    counters = {"telenet": 0, "proximus": 0}
    left = lines
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(COLUMNS)
        for school in read_schools(schools):
            for location in school.locations:
                # Exactly `lines` in all: this location's share of what is left.
                share, extra = divmod(left, locations)
                count = share + (rng.random() * locations < extra)
                locations -= 1
                left -= count
                span = (LAST - FIRST).days // max(count, 1)
                for n in range(count):
                    provider = "telenet" if rng.random() < 0.8 else "proximus"
                    offer = "managed" if rng.random() < 0.15 else "internet-only"
                    kind = "vpn" if len(school.locations) > 1 and rng.random() < 0.05 else \
                        MANAGED_KINDS[int(rng.random() * len(MANAGED_KINDS))]
                    modules = managed_modules(rng, kind) if offer == "managed" else []
                    requested = FIRST + timedelta(days=n * span + int(rng.random() * span / 4))
                    started = requested + timedelta(days=7 + int(rng.random() * 21))
                    ended = FIRST + timedelta(days=(n + 1) * span - 1) if n < count - 1 else None
                    writer.writerow(line_row(
                        counters, provider, school, location, offer,
                        pick_tier(rng, tiers_on(tiers, requested)[provider][offer], offer),
                        modules, requested,
                        started, ended))
    return lines - left


def prepare(folder: Path, scale: float, lines: int) -> dict[str, object]:
    """The school list, the feed and its first tenth, and how long generating them took."""
    from ictmonitor.demo.generator import generate

    start = time.perf_counter()
    schools = generate(folder, scale=scale).schools
    feed = folder / "lines.csv"
    written = write_feed(schools, feed, lines)
    seconds = time.perf_counter() - start
    tenth = folder / "lines-tenth.csv"
    with feed.open(encoding="utf-8") as full, tenth.open("w", encoding="utf-8") as out:
        out.writelines(itertools.islice(full, written // 10 + 1))
    return {"schools": schools, "feed": feed, "tenth": tenth, "lines": written,
            "generate_seconds": round(seconds, 1), "feed_mib": round(feed.stat().st_size / 2**20)}


def run_on(database: str, files: dict[str, object], work: Path) -> dict[str, object]:
    """Every measurement on one database."""
    results: dict[str, object] = {}
    for name in ("import_tenth", "import"):
        with _database(database, work, name) as url:
            env = fresh(url, work)
            results[f"schools_{name}"] = child(["import", str(files["schools"])], env)
            path = files["tenth" if name == "import_tenth" else "feed"]
            results[name] = child(["subscriptions", str(path)], env)
            if name == "import":
                results["reimport"] = child(["subscriptions", str(path)], env)
                results["loader"] = child(["subscriptions-loader"], env)
    rows = results["import"]["rows"]  # type: ignore[index]
    import_rate = rows / results["import"]["seconds"]  # type: ignore[index]
    loader_rate = rows / results["loader"]["seconds"]  # type: ignore[index]
    results["import_rows_per_second"] = round(import_rate)
    results["loader_rows_per_second"] = round(loader_rate)
    results["ratio"] = round(import_rate / loader_rate, 3)
    results["meets_goal"] = results["ratio"] >= GOAL  # type: ignore[operator]
    return results


def main() -> None:
    """Generate, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--scale", type=float, default=20.0,
                        help="demo scale of the school list the lines are spread over")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory(prefix="ictmonitor-bench-") as folder:
        work = Path(folder)
        files = prepare(work / "files", args.scale, args.lines)
        report: dict[str, object] = {
            "scale": args.scale, "lines": files["lines"], "feed_mib": files["feed_mib"],
            "generate_seconds": files["generate_seconds"], "goal_ratio": GOAL}
        print(f"generated {files['lines']:,} lines ({files['feed_mib']} MiB) over the scale "
              f"{args.scale:g} school list in {files['generate_seconds']} s", flush=True)
        for database in databases:
            report[database] = run_on(database, files, work)
            print(_summary(database, report[database]), flush=True)  # type: ignore[arg-type]
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "import_subscriptions.json").write_text(json.dumps(report, indent=2) + "\n")


def _summary(database: str, r: dict) -> str:  # type: ignore[type-arg]
    return (
        f"{database}: {r['import']['rows']:,} lines; import {r['import']['seconds']:.1f} s "
        f"({r['import_rows_per_second']:,}/s, peak {r['import']['peak_mib']} MiB; a tenth of "
        f"the feed: peak {r['import_tenth']['peak_mib']} MiB); re-import (no change) "
        f"{r['reimport']['seconds']:.1f} s; loader {r['loader']['seconds']:.1f} s "
        f"({r['loader_rows_per_second']:,}/s); import/loader rate = {r['ratio']:.2f} "
        f"(goal {GOAL:.2f})"
    )


if __name__ == "__main__":
    main()
