"""Benchmark: importing a month of line measurements, against the database's own bulk loader.

    .venv/bin/python bench/import_measurements.py [--scale 1] [--days 30] [--share 1.0]
                                                  [--repeats 3] [--database sqlite|postgresql|both]

Generates the demo's school list at a scale (1: the national demo, about 6,300 locations), one
running line per location, and a file of measurements as agents make them (issue 16): four speed
tests a day and a ping every 15 minutes in school hours, for `--days` days from Monday 2 March
2026, at `--share` of the locations (1.0, 30 days: about 6 million rows); each agent keeps its
own schedule, some seconds and minutes into the quarter hour, as agents started at different
times do (so a file's times are nearly all different texts).

On each database a fresh database holding the schools and lines imports a tenth of the file (its
peak memory against the whole file's: memory should not grow with the file). Another imports
the whole file and then the database's own loader puts the same rows into the same tables,
`--repeats` times in turn (import, loader, import, loader, ...: the machine may be shared, so a
load on it falls on both alike; the tables are emptied before each): the import's work against
the loader's, each pair's ratio, and their median. The loader is what a database administrator
would run for the same result: the raw rows with PostgreSQL `COPY` / SQLite `executemany` into
the same (on PostgreSQL partitioned) table with its indexes, then the day rollups computed from
them in one `INSERT ... SELECT ... GROUP BY` (checked equal to the import's), and the month
rollups copied as rows (no median in SQLite's SQL: a bare copy, in the loader's favour). The
ratio against the bare copy of the day rollups too is written beside it, as `ratio_bare`. Besides
the wall-clock seconds, the CPU seconds of each side (the process, and on PostgreSQL its server
process too) are given: they hardly depend on what else runs. The whole file once more shows the
import of a file stored already (nothing changes). Writes bench/out/import_measurements.json.
A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import statistics
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
RAW, DAYS = "measurements_measurement", "measurements_dailyrollup"
TABLES = [RAW, DAYS, "measurements_monthlyrollup"]


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
                phase = timedelta(seconds=rng.randrange(900))  # the agent's own schedule
                for moment, kind in moments:
                    text = (moment + phase).isoformat()
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


def _moments(days: int) -> list[tuple[datetime, str]]:
    """(measured_at, kind) of an agent over the days, in time order, before its phase."""
    found = []
    for n in range(days):
        day = FIRST_DAY + timedelta(days=n)
        local = [(datetime(day.year, day.month, day.day, hour, 2, tzinfo=BRUSSELS), "speed")
                 for hour in SPEED_HOURS]
        if day.weekday() < 5:
            start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=BRUSSELS)
            local += [(start + timedelta(minutes=15 * k), "ping") for k in range(36)]
        found += sorted(local)
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


def run_on(database: str, files: dict[str, Any], work: Path, repeats: int) -> dict[str, Any]:
    """Every measurement on one database."""
    results: dict[str, Any] = {}
    with _database(database, work, "tenth") as url:
        env = _with_lines(url, work, files)
        results["import_tenth"] = child(["measurements", str(files["tenth"])], env)
    pairs = []
    with _database(database, work, "full") as url:
        env = _with_lines(url, work, files)
        for n in range(repeats):
            if n:
                child(["empty"], env)
            imported = child(["measurements", str(files["feed"])], env)
            if not n:
                results["reimport"] = child(["measurements", str(files["feed"])], env)
            pairs.append({"import": imported, "loader": child(["loader"], env)})
            print(f"  {database} {n + 1}/{repeats}: {_pair(pairs[-1])}", flush=True)
    rows = pairs[0]["import"]["rows"]
    results["pairs"] = pairs
    results["import"] = _median(p["import"] for p in pairs)
    results["loader"] = _median(p["loader"] for p in pairs)
    results["import_rows_per_second"] = round(rows / results["import"]["seconds"])
    results["loader_rows_per_second"] = round(rows / results["loader"]["seconds"])
    for name, key in (("ratio", "seconds"), ("ratio_bare", "seconds_bare"),
                      ("ratio_cpu", "cpu_seconds")):
        results[name] = round(statistics.median(p["loader"][key] / p["import"][key.replace(
            "_bare", "")] for p in pairs), 3)
    results["rollups_equal"] = all(p["loader"]["rollups_equal"] for p in pairs)
    results["meets_goal"] = results["ratio"] >= GOAL
    return results


def _with_lines(url: str, work: Path, files: dict[str, Any]) -> dict[str, str]:
    env = fresh(url, work)
    child(["schools", str(files["schools"])], env)
    child(["subscriptions", str(files["lines"])], env)
    return env


def _median(runs: Any) -> dict[str, float]:
    runs = list(runs)
    return {key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]
            if isinstance(runs[0][key], int | float) and not isinstance(runs[0][key], bool)}


def _pair(pair: dict[str, Any]) -> str:
    i, loader = pair["import"], pair["loader"]
    return (f"import {i['seconds']:.1f} s ({i['cpu_seconds']:.1f} s CPU), loader "
            f"{loader['seconds']:.1f} s ({loader['cpu_seconds']:.1f} s CPU; raw rows "
            f"{loader['raw_seconds']:.1f} s, day rollups in SQL {loader['rollup_seconds']:.1f} s, "
            f"as bare rows {loader['rollup_copy_seconds']:.1f} s); ratio "
            f"{loader['seconds'] / i['seconds']:.2f}")


def main() -> None:
    """Generate, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--share", type=float, default=1.0,
                        help="the share of locations that measure")
    parser.add_argument("--repeats", type=int, default=3,
                        help="import and loader in turn, this many times each")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory(prefix="ictmonitor-bench-") as folder:
        work = Path(folder)
        files = prepare(work / "files", args.scale, args.days, args.share)
        report: dict[str, Any] = {
            "scale": args.scale, "days": args.days, "share": args.share, "rows": files["rows"],
            "feed_mib": files["feed_mib"], "generate_seconds": files["generate_seconds"],
            "goal_ratio": GOAL, "repeats": args.repeats,
            "load_average_before": os.getloadavg()}
        print(f"generated {files['rows']:,} measurements ({files['feed_mib']} MiB) in "
              f"{files['generate_seconds']} s", flush=True)
        for database in databases:
            report[database] = run_on(database, files, work, args.repeats)
            print(_summary(database, report[database]), flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    report["load_average_after"] = os.getloadavg()
    (out / "import_measurements.json").write_text(json.dumps(report, indent=2) + "\n")


def _summary(database: str, r: dict[str, Any]) -> str:
    return (
        f"{database}: {r['import']['rows']:,} rows; import {r['import']['seconds']:.1f} s "
        f"({r['import_rows_per_second']:,}/s, {r['import']['cpu_seconds']:.1f} s CPU, peak "
        f"{r['import']['peak_mib']} MiB; a tenth: peak {r['import_tenth']['peak_mib']} MiB); "
        f"re-import (no change) {r['reimport']['seconds']:.1f} s; loader "
        f"{r['loader']['seconds']:.1f} s ({r['loader_rows_per_second']:,}/s, "
        f"{r['loader']['cpu_seconds']:.1f} s CPU); import/loader rate = {r['ratio']:.2f} "
        f"(CPU {r['ratio_cpu']:.2f}; against the day rollups copied bare {r['ratio_bare']:.2f}; "
        f"goal {GOAL:.2f}; medians of {len(r['pairs'])}; rollups equal: {r['rollups_equal']})"
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
        start, cpu = time.perf_counter(), _cpu()
        run = importers[mode](Path(str(path)), actor="bench")
        return {"seconds": time.perf_counter() - start, "cpu_seconds": _cpu() - cpu,
                "rows": run.rows, "created": run.created, "unchanged": run.unchanged}
    if mode == "empty":
        _empty(_tables())
        return {}
    return _loader()


def _tables() -> list[str]:
    """The raw table and the rollup tables there are (month rollups where they exist)."""
    from django.db import connection

    with connection.cursor() as cursor:
        there = set(connection.introspection.table_names(cursor))
    return [t for t in TABLES if t in there]


def _empty(tables: list[str]) -> None:
    """Empty the tables; their partitions and indexes stay."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"TRUNCATE {table}" if connection.vendor == "postgresql"
                           else f"DELETE FROM {table}")


def _cpu() -> float:
    """CPU seconds of this process and, on PostgreSQL, of its server process."""
    from django.db import connection

    seconds = time.process_time()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        seconds += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def _loader() -> dict[str, Any]:
    """Put the imported measurements back with the database's own bulk path, compute the day
    rollups from them in SQL and copy the month rollups; then the day rollups as bare rows."""
    from django.db import connection, transaction

    tables = _tables()
    with connection.cursor() as cursor:
        columns = {t: [c.name for c in connection.introspection.get_table_description(cursor, t)]
                   for t in tables}
        cursor.execute(f"SELECT count(*) FROM {RAW}")
        rows = cursor.fetchone()[0]
    dumps = {table: _dump(table, columns[table]) for table in tables}
    _empty(tables)
    start, cpu = time.perf_counter(), _cpu()
    with transaction.atomic():
        _load(RAW, columns[RAW], dumps[RAW])
        raw_seconds = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute(_day_rollups_sql(connection.vendor), _day_rollups_params())
        rollup_seconds = time.perf_counter() - start - raw_seconds
        for table in tables[2:]:  # the month rollups, as rows
            _load(table, columns[table], dumps[table])
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    months_seconds = seconds - raw_seconds - rollup_seconds
    equal = _rows(DAYS, columns[DAYS]) == _rows(DAYS, columns[DAYS], dumps[DAYS])
    _empty([DAYS])
    copy_start = time.perf_counter()
    with transaction.atomic():
        _load(DAYS, columns[DAYS], dumps[DAYS])
    rollup_copy_seconds = time.perf_counter() - copy_start
    return {"seconds": seconds, "cpu_seconds": cpu, "rows": rows, "raw_seconds": raw_seconds,
            "rollup_seconds": rollup_seconds, "rollup_copy_seconds": rollup_copy_seconds,
            "seconds_bare": raw_seconds + rollup_copy_seconds + months_seconds,
            "rollups_equal": equal, **_sizes(rows)}


def _dump(table: str, names: list[str]) -> Any:
    """A table's rows as its loader takes them: COPY text, or tuples."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            # (a partitioned table is copied out through a query)
            with cursor.cursor.copy(f"COPY (SELECT {', '.join(names)} FROM {table}) "
                                    "TO STDOUT") as copy:
                for block in copy:
                    buffer.write(block)
            return buffer
        cursor.execute(f"SELECT {', '.join(names)} FROM {table}")
        return cursor.fetchall()


def _load(table: str, names: list[str], dump: Any) -> None:
    """The database's own bulk path: COPY, or executemany."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                dump.seek(0)
                while block := dump.read(1 << 20):
                    copy.write(block)
        else:
            marks = ", ".join("%s" for _ in names)
            cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                               dump)


ROLLUP_COUNTS = {
    "speed_tests": "kind = 'speed'",
    "speed_tests_school_hours": "kind = 'speed' AND school AND path = 'primary'",
    "pings": "kind = 'ping'",
    "pings_reachable": "kind = 'ping' AND reachable",
    "pings_school_hours": "kind = 'ping' AND school",
    "pings_reachable_school_hours": "kind = 'ping' AND school AND reachable",
    "failovers": "kind = 'failover' AND path = 'backup'",
    "returns": "kind = 'failover' AND path = 'primary'",
}
ROLLUP_SPEEDS = {"download_school_hours": "download_mbps", "upload_school_hours": "upload_mbps"}


def _day_rollups_sql(vendor: str) -> str:
    """The day rollups of every raw row in one INSERT ... SELECT ... GROUP BY: the day and the
    school hours in Europe/Brussels (on SQLite by the EU's summer-time rule, it has no zones),
    the school-hour primary speeds as sorted JSON lists."""
    counts = ", ".join(f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in ROLLUP_COUNTS.values())
    names = ", ".join(["location_id", "line_id", "day", *ROLLUP_COUNTS, *ROLLUP_SPEEDS,
                       "first_measured_at", "last_measured_at"])
    if vendor == "postgresql":
        local = "(measured_at AT TIME ZONE %(zone)s)"
        school = (f"(extract(isodow FROM {local}) < 6 AND extract(hour FROM {local}) >= "
                  f"%(first)s AND extract(hour FROM {local}) < %(last)s)")
        speeds = ", ".join(
            f"coalesce(jsonb_agg({c} ORDER BY {c}) FILTER (WHERE kind = 'speed' AND school AND "
            "path = 'primary'), '[]')" for c in ROLLUP_SPEEDS.values())
        return (f"INSERT INTO {DAYS} ({names}) SELECT location_id, line_id, day, {counts}, "
                f"{speeds}, min(measured_at), max(measured_at) FROM (SELECT m.*, "
                f"CAST({local} AS date) AS day, {school} AS school FROM {RAW} m) s "
                "GROUP BY location_id, line_id, day")
    summer = ("measured_at >= datetime(date(strftime('%%Y', measured_at) || '-{}-31', "
              "'-6 days', 'weekday 0'), '+1 hours')")
    local = (f"datetime(measured_at, CASE WHEN {summer.format('03')} AND NOT "
             f"{summer.format('10')} THEN '+2 hours' ELSE '+1 hours' END)")
    school = (f"(strftime('%%w', {local}) BETWEEN '1' AND '5' AND CAST(strftime('%%H', "
              f"{local}) AS integer) >= %(first)s AND CAST(strftime('%%H', {local}) AS integer) "
              f"< %(last)s)")
    key = "location_id, line_id, day"
    named = ", ".join(f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END) AS {n}"
                      for n, c in ROLLUP_COUNTS.items())
    lists = [f"(SELECT {key}, json_group_array({c}) AS list FROM (SELECT {key}, {c} FROM "
             f"(SELECT location_id, line_id, date({local}) AS day, {c} FROM {RAW} WHERE kind "
             f"= 'speed' AND path = 'primary' AND {school}) ORDER BY {key}, {c}) GROUP BY {key})"
             for c in ROLLUP_SPEEDS.values()]
    joins = " ".join(f"LEFT JOIN {lists[n]} l{n} ON l{n}.location_id = c.location_id AND "
                     f"l{n}.line_id IS c.line_id AND l{n}.day = c.day" for n in range(2))
    return (f"INSERT INTO {DAYS} ({names}) SELECT c.location_id, c.line_id, c.day, "
            f"{', '.join(f'c.{n}' for n in ROLLUP_COUNTS)}, coalesce(l0.list, '[]'), "
            "coalesce(l1.list, '[]'), c.first, c.last FROM (SELECT location_id, line_id, day, "
            f"{named}, "
            "min(measured_at) AS first, max(measured_at) AS last FROM (SELECT *, "
            f"date({local}) AS day, {school} AS school FROM {RAW}) GROUP BY {key}) c {joins} "
            "WHERE true")


def _day_rollups_params() -> dict[str, Any]:
    from django.conf import settings

    first, last = getattr(settings, "MEASUREMENTS_SCHOOL_HOURS", (8, 17))
    return {"zone": getattr(settings, "MEASUREMENTS_TIME_ZONE", "Europe/Brussels"),
            "first": first, "last": last}


def _rows(table: str, names: list[str], dump: Any = None) -> list[tuple]:
    """A rollup table's rows without their ids, comparable across loads (JSON read, sorted)."""
    if dump is None:
        dump = _dump(table, names)
    if isinstance(dump, io.BytesIO):
        dump = [line.split("\t") for line in dump.getvalue().decode().splitlines()]
    plain = []
    for row in dump:
        values = dict(zip(names, row, strict=True))
        values.pop("id")
        plain.append(tuple(json.loads(v) if isinstance(v, str) and v.startswith("[") else
                           str(v) for v in values.values()))
    return sorted(plain)


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
