"""Benchmark: a generated voucher feed of a million codes, against the database's bulk loader.

    .venv/bin/python bench/import_vouchers.py [--codes 1000000] [--database sqlite|postgresql|both]

Writes the demo's national school list (scale 1) and a feed of `--codes` codes on its schools
(contracts/vouchers.md), then on each database: imports a tenth of the feed and all of it into
fresh databases (peak memory should not grow with the file), imports all of it again (nothing
changes), has the database's own loader (PostgreSQL COPY, SQLite executemany) put the same rows
into the same table with the same keys and indexes, and times `voucher-summary --by school`
(best of three) over the million codes. Each measurement runs in a fresh process so its peak
memory is its own. Writes bench/out/import_vouchers.json. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_schools import ICTMONITOR, PYTHON, _database  # noqa: E402

TABLE = "vouchers_voucher"
REFNIS = ["11002", "21004", "44021", "12025", "24062", "31005", "71022", "13040", "46021"]
REPEATS = 3


def write_feed(path: Path, schools: list[str], codes: int, seed: int = 2020) -> None:
    """A feed of `codes` codes on these schools: two waves, both providers, a sixth activated."""
    rng = random.Random(seed)
    waves = [("2020-spring", date(2020, 3, 16), date(2020, 8, 31)),
             ("2020-autumn", date(2020, 9, 1), date(2021, 6, 30))]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        from ictmonitor.vouchers.importers import COLUMNS

        writer.writerow(COLUMNS)
        for n in range(codes):
            provider = "telenet" if n % 9 < 5 else "proximus"
            wave, opens, expires = waves[0] if n % 40 else waves[1]
            kind = "school" if n % 10 < 8 else ("municipality" if n % 2 else "ocmw")
            school = rng.choice(schools)
            requester = school if kind == "school" else rng.choice(REFNIS)
            pupil = school if kind == "school" or n % 3 else ""
            requested = opens + timedelta(days=rng.randrange(90))
            issued = requested + timedelta(days=rng.randrange(1, 8))
            activated = used = extended = ""
            if rng.random() < 0.17:
                day = issued + timedelta(days=rng.randrange(1, 40))
                activated, used = day, day + timedelta(days=rng.randrange(30))
                extended = date(2021, 6, 30) if rng.random() < 0.4 else ""
            ref = f"{rng.randrange(1, 7)}{'ABCD'[n % 4]}-{n % 997:03}" if n % 5 < 2 else ""
            writer.writerow([provider, f"{provider[0].upper()}{n:09d}", kind, requester, pupil,
                             wave, requested, issued, activated, extended, expires, used, ref])


def prepare(folder: Path, codes: int) -> tuple[Path, Path, Path]:
    """The school list, the feed and its first tenth."""
    _setup()
    from ictmonitor.demo.generator import generate

    files = generate(folder, scale=1.0)
    with files.schools.open(encoding="utf-8") as handle:
        schools = sorted({row["schoolnummer"] for row in csv.DictReader(handle)})
    feed, tenth = folder / "vouchers.csv", folder / "vouchers-tenth.csv"
    write_feed(feed, schools, codes)
    with feed.open(encoding="utf-8") as full, tenth.open("w", encoding="utf-8") as out:
        out.writelines(itertools.islice(full, codes // 10 + 1))
    return files.schools, feed, tenth


def child(mode: str, *args: str, env: dict[str, str]) -> dict[str, Any]:
    """Run one measurement of this file in a fresh process; its JSON line."""
    done = subprocess.run([PYTHON, __file__, "--child", mode, *args], env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_on(database: str, schools: Path, feed: Path, tenth: Path, work: Path) -> dict[str, Any]:
    """Every measurement on one database."""
    results: dict[str, Any] = {}
    for name, path in (("import_tenth", tenth), ("import", feed)):
        with _database(database, work, name) as url:
            env = {**os.environ, "ICTMONITOR_DATABASE_URL": url, "ICTMONITOR_DATA_DIR": str(work)}
            subprocess.run([ICTMONITOR, "migrate", "-v0"], env=env, check=True)
            subprocess.run([ICTMONITOR, "import", "schools", str(schools), "--quiet"], env=env,
                           check=True, stdout=subprocess.DEVNULL)
            results[name] = child("import", str(path), env=env)
            if name == "import":
                results["reimport"] = child("import", str(path), env=env)
                results["report"] = child("report", env=env)
                results["loader"] = child("loader", env=env)
    rows = results["import"]["rows"]
    results["import_rows_per_second"] = round(rows / results["import"]["seconds"])
    results["loader_rows_per_second"] = round(rows / results["loader"]["seconds"])
    results["ratio"] = round(results["loader"]["seconds"] / results["import"]["seconds"], 3)
    return results


def main() -> None:
    """Generate, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    report: dict[str, Any] = {"codes": args.codes}
    with tempfile.TemporaryDirectory(prefix="ictmonitor-bench-") as folder:
        work = Path(folder)
        start = time.perf_counter()
        schools, feed, tenth = prepare(work / "files", args.codes)
        report["generate_seconds"] = round(time.perf_counter() - start, 1)
        for database in databases:
            report[database] = run_on(database, schools, feed, tenth, work)
            print(_summary(database, report[database]), flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "import_vouchers.json").write_text(json.dumps(report, indent=2) + "\n")


def _summary(database: str, r: dict[str, Any]) -> str:
    return (
        f"{database}: {r['import']['rows']:,} codes; import {r['import']['seconds']:.1f} s "
        f"({r['import_rows_per_second']:,}/s, peak {r['import']['peak_mib']} MiB; a tenth: "
        f"peak {r['import_tenth']['peak_mib']} MiB); re-import (no change) "
        f"{r['reimport']['seconds']:.1f} s; loader {r['loader']['seconds']:.1f} s "
        f"({r['loader_rows_per_second']:,}/s); import speed = {r['ratio']:.0%} of the loader's; "
        f"voucher-summary --by school {r['report']['seconds'] * 1000:.0f} ms "
        f"({r['report']['rows']:,} rows)"
    )


# --- the measurements, each run by `child` in a fresh process -------------------------------

def _setup() -> Any:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
    import django

    django.setup()
    from django.db import connection

    return connection


def measure_import(path: Path) -> dict[str, Any]:
    """Import the feed once through the shared pipeline."""
    _setup()
    from ictmonitor.vouchers.importers import import_vouchers

    start = time.perf_counter()
    run = import_vouchers(path, actor="bench")
    return {"seconds": time.perf_counter() - start, "rows": run.rows, "created": run.created,
            "unchanged": run.unchanged}


def measure_report() -> dict[str, Any]:
    """voucher-summary --by school, the best of three runs."""
    _setup()
    from ictmonitor.reports.definitions import Parameters
    from ictmonitor.reports.engine import get_report, run_report

    times, rows = [], 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        rows = len(run_report(get_report("voucher-summary"), Parameters(by=("school",))).rows)
        times.append(time.perf_counter() - start)
    return {"seconds": min(times), "rows": rows}


def measure_loader() -> dict[str, Any]:
    """Put the imported codes back into the emptied table with the database's own loader."""
    connection = _setup()
    from django.db import transaction

    with connection.cursor() as cursor:
        names = [c.name for c in connection.introspection.get_table_description(cursor, TABLE)]
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        rows = cursor.fetchone()[0]
    columns = ", ".join(names)
    with tempfile.TemporaryFile() as dump, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {TABLE} ({columns}) TO STDOUT") as copy:
                for block in copy:
                    dump.write(block)
            cursor.execute(f"TRUNCATE {TABLE}")
            dump.seek(0)
            start = time.perf_counter()
            with transaction.atomic(), cursor.cursor.copy(
                    f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
                while block := dump.read(1 << 20):
                    copy.write(block)
        else:
            cursor.execute(f"CREATE TEMPORARY TABLE loader_dump AS SELECT {columns} FROM {TABLE}")
            cursor.execute(f"DELETE FROM {TABLE}")
            marks = ", ".join("?" for _ in names)
            raw = connection.connection
            start = time.perf_counter()
            with transaction.atomic():
                raw.executemany(f"INSERT INTO {TABLE} ({columns}) VALUES ({marks})",
                                raw.execute(f"SELECT {columns} FROM loader_dump"))
    return {"seconds": time.perf_counter() - start, "rows": rows}


def _child(mode: str, args: list[str]) -> None:
    work = {"import": lambda: measure_import(Path(args[0])), "report": measure_report,
            "loader": measure_loader}[mode]
    result = work()
    result["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3:])
    else:
        main()
