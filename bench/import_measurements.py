"""Benchmark: importing a month of line measurements, against the database's own bulk loader.

    .venv/bin/python bench/import_measurements.py [--scale 1] [--days 30] [--share 1.0]
                                                  [--database sqlite|postgresql|both]

Generates the demo's school list at a scale (1: the national demo, about 6,300 locations), one
running line per location, and a file of measurements as agents make them (issue 16): four speed
tests a day and a ping every 15 minutes in school hours, for `--days` days from Monday 2 March
2026, at `--share` of the locations (1.0, 30 days: about 5 million rows). On each database, fresh
databases holding the schools and lines import a tenth of the file and all of it (peak memory
should not grow with the file), then all of it again (nothing changes), then the database's own
loader (PostgreSQL COPY, SQLite executemany) puts the same rows into the same (on PostgreSQL
partitioned) table, and the rollups the import made into theirs: the import's work, rollups
included, against the bare load. Writes rows per second, the ratio and peak memory to
bench/out/import_measurements.json. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_schools import _database, fresh  # noqa: E402

GOAL = 0.8
FIRST_DAY = date(2026, 3, 2)
BRUSSELS = ZoneInfo("Europe/Brussels")
HEADER = ["schoolnummer", "intern_vplnummer", "device", "measured_at", "kind", "path",
          "download_mbps", "upload_mbps", "latency_ms", "jitter_ms", "loss_pct", "reachable"]
SPEED_HOURS = (7, 10, 13, 22)  # four speed tests a day, local time
TABLES = ["measurements_measurement", "measurements_dailyrollup"]


def write_lines(schools: Path, path: Path) -> int:
    """One line per location, still running."""
    from bench.import_subscriptions import write_feed
    from ictmonitor.demo.connectivity import read_schools

    locations = sum(len(s.locations) for s in read_schools(schools))
    return write_feed(schools, path, locations)


def write_measurements(schools: Path, path: Path, days: int, share: float,
                       seed: int = 16) -> int:
    """The agents' month as one file; returns how many rows."""
    from ictmonitor.demo.connectivity import read_schools

    rng = random.Random(seed)
    rows = 0
    moments = _moments(days)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(HEADER)
        for school in read_schools(schools):
            for location in school.locations:
                if rng.random() >= share:
                    continue
                speed = 30 + rng.random() * 900
                for text, kind in moments:
                    if kind == "speed":
                        down = round(speed * (0.6 + rng.random() * 0.5), 2)
                        writer.writerow([school.number, location, "pi-1", text, "speed",
                                         "primary", down, round(down / 5, 2),
                                         round(5 + rng.random() * 20, 1),
                                         round(rng.random() * 4, 2), "", ""])
                    else:
                        up = rng.random() > 0.004
                        writer.writerow([school.number, location, "pi-1", text, "ping",
                                         "primary", "", "", round(4 + rng.random() * 30, 1)
                                         if up else "", "", "" if up else 100, int(up)])
                    rows += 1
    return rows


def _moments(days: int) -> list[tuple[str, str]]:
    """(measured_at, kind) of one location's agent over the days, in time order."""
    found = []
    for n in range(days):
        day = FIRST_DAY + timedelta(days=n)
        local = [(datetime(day.year, day.month, day.day, hour, 2, tzinfo=BRUSSELS), "speed")
                 for hour in SPEED_HOURS]
        if day.weekday() < 5:
            start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=BRUSSELS)
            local += [(start + timedelta(minutes=15 * k), "ping") for k in range(36)]
        found += [(m.isoformat(), kind) for m, kind in sorted(local)]
    return found


def child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run one measurement of this script in a fresh process; its JSON line."""
    done = subprocess.run([sys.executable, __file__, "--child", *args], env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(folder: Path, scale: float, days: int, share: float) -> dict[str, Any]:
    """The school list, the lines, the measurements and their first tenth."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
    import django

    django.setup()  # the demo's readers load the catalogue's models
    from ictmonitor.demo.generator import generate

    start = time.perf_counter()
    schools = generate(folder, scale=scale).schools
    lines = folder / "lines.csv"
    write_lines(schools, lines)
    feed = folder / "measurements.csv"
    rows = write_measurements(schools, feed, days, share)
    tenth = folder / "measurements-tenth.csv"
    with feed.open(encoding="utf-8") as full, tenth.open("w", encoding="utf-8") as out:
        for n, text in enumerate(full):
            if n > rows // 10:
                break
            out.write(text)
    return {"schools": schools, "lines": lines, "feed": feed, "tenth": tenth, "rows": rows,
            "generate_seconds": round(time.perf_counter() - start, 1),
            "feed_mib": round(feed.stat().st_size / 2**20)}


def run_on(database: str, files: dict[str, Any], work: Path) -> dict[str, Any]:
    """Every measurement on one database."""
    results: dict[str, Any] = {}
    for name in ("import_tenth", "import"):
        with _database(database, work, name) as url:
            env = fresh(url, work)
            child(["schools", str(files["schools"])], env)
            child(["subscriptions", str(files["lines"])], env)
            path = files["tenth" if name == "import_tenth" else "feed"]
            results[name] = child(["measurements", str(path)], env)
            if name == "import":
                results["reimport"] = child(["measurements", str(path)], env)
                results["loader"] = child(["loader"], env)
    rows = results["import"]["rows"]
    import_rate = rows / results["import"]["seconds"]
    loader_rate = rows / results["loader"]["seconds"]
    results["import_rows_per_second"] = round(import_rate)
    results["loader_rows_per_second"] = round(loader_rate)
    results["ratio"] = round(import_rate / loader_rate, 3)
    results["meets_goal"] = results["ratio"] >= GOAL
    return results


def main() -> None:
    """Generate, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--share", type=float, default=1.0,
                        help="the share of locations that measure")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory(prefix="ictmonitor-bench-") as folder:
        work = Path(folder)
        files = prepare(work / "files", args.scale, args.days, args.share)
        report: dict[str, Any] = {
            "scale": args.scale, "days": args.days, "share": args.share, "rows": files["rows"],
            "feed_mib": files["feed_mib"], "generate_seconds": files["generate_seconds"],
            "goal_ratio": GOAL}
        print(f"generated {files['rows']:,} measurements ({files['feed_mib']} MiB) in "
              f"{files['generate_seconds']} s", flush=True)
        for database in databases:
            report[database] = run_on(database, files, work)
            print(_summary(database, report[database]), flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "import_measurements.json").write_text(json.dumps(report, indent=2) + "\n")


def _summary(database: str, r: dict[str, Any]) -> str:
    return (
        f"{database}: {r['import']['rows']:,} rows; import {r['import']['seconds']:.1f} s "
        f"({r['import_rows_per_second']:,}/s, peak {r['import']['peak_mib']} MiB; a tenth: "
        f"peak {r['import_tenth']['peak_mib']} MiB); re-import (no change) "
        f"{r['reimport']['seconds']:.1f} s; loader {r['loader']['seconds']:.1f} s "
        f"({r['loader_rows_per_second']:,}/s); import/loader rate = {r['ratio']:.2f} "
        f"(goal {GOAL:.2f})"
    )


# --- the measurements, each in a process of its own ------------------------------------------

def _child(mode: str, path: str | None) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
    import django

    django.setup()
    from ictmonitor.connectivity.importers import import_subscriptions
    from ictmonitor.measurements.importers import import_measurements
    from ictmonitor.registry.importers import import_school_list

    importers = {"schools": import_school_list, "subscriptions": import_subscriptions,
                 "measurements": import_measurements}
    if mode in importers:
        start = time.perf_counter()
        run = importers[mode](Path(str(path)), actor="bench")
        return {"seconds": time.perf_counter() - start, "rows": run.rows,
                "created": run.created, "unchanged": run.unchanged}
    return _loader()


def _loader() -> dict[str, Any]:
    """Put the imported measurements and rollups back with the database's own bulk path."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        columns = {t: [c.name for c in connection.introspection.get_table_description(cursor, t)]
                   for t in TABLES}
        cursor.execute(f"SELECT count(*) FROM {TABLES[0]}")
        rows = cursor.fetchone()[0]
    postgresql = connection.vendor == "postgresql"
    dumps: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            names = ", ".join(columns[table])
            if postgresql:
                buffer = io.BytesIO()
                # (a partitioned table is copied out through a query)
                with cursor.cursor.copy(f"COPY (SELECT {names} FROM {table}) TO STDOUT") as copy:
                    for block in copy:
                        buffer.write(block)
                dumps[table] = buffer
            else:
                cursor.execute(f"SELECT {names} FROM {table}")
                dumps[table] = cursor.fetchall()
    with transaction.atomic(), connection.cursor() as cursor:  # empty; partitions, keys stay
        for table in TABLES:
            cursor.execute(f"TRUNCATE {table}" if postgresql else f"DELETE FROM {table}")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in TABLES:
            names = ", ".join(columns[table])
            if postgresql:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    dumps[table].seek(0)
                    while block := dumps[table].read(1 << 20):
                        copy.write(block)
            else:
                marks = ", ".join("%s" for _ in columns[table])
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                                   dumps[table])
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": rows, **_sizes(rows)}


def _sizes(rows: int) -> dict[str, Any]:
    """On PostgreSQL: bytes on disk per raw row (its partitions with their indexes) and the
    rollups' bytes per row."""
    from django.db import connection

    if connection.vendor != "postgresql" or not rows:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE measurements_measurement")
        cursor.execute("SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                       "WHERE inhparent = 'measurements_measurement'::regclass")
        raw = cursor.fetchone()[0] or 0
        cursor.execute("SELECT pg_total_relation_size('measurements_dailyrollup'), count(*) "
                       "FROM measurements_dailyrollup")
        rollup_bytes, rollups = cursor.fetchone()
    return {"raw_bytes_per_row": round(raw / rows), "rollups": rollups,
            "rollup_bytes_per_row": round(rollup_bytes / max(rollups, 1))}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        result = _child(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
        result["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(result))
    else:
        main()
