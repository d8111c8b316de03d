"""Benchmark: every report, in every format, against hand-written SQL on the same data.

    .venv/bin/python bench/reports.py [--scale 1] [--database sqlite|postgresql|both]
                                      [--formats json,csv,xlsx,pdf] [--database-url URL]

Loads the demo dataset at the scale asked (1: the national dataset; 500: a world-sized registry
of about two million institutions, meant for PostgreSQL) into a fresh database through the
importers, then times each report with its typical breakdown (the best of three runs) in each
format, and the report's hand-written query (bench/report_queries.py). Writes
bench/out/reports-SCALE.json. A benchmark, not a test.

`--database-url` measures a database loaded before (`ictmonitor demo --scale 500 --no-serve`
into a server started with `python -m tests.pgcluster`), so a long load is done once.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_schools import ICTMONITOR, PYTHON, _database  # noqa: E402


def main() -> None:
    """Load, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--formats", default="json,csv,xlsx,pdf")
    parser.add_argument("--database-url", help="measure this database, loaded before")
    args = parser.parse_args()
    if args.database_url:
        report = {"scale": args.scale, "database_url": args.database_url,
                  "loaded": measure(args.database_url, args.formats, ROOT / "data")}
        for line in _summary(args.database_url.split(":")[0], report["loaded"]):
            print(line, flush=True)
        _write(args.scale, report)
        return
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    report: dict[str, object] = {"scale": args.scale}
    with tempfile.TemporaryDirectory(prefix="ictmonitor-bench-") as folder:
        work = Path(folder)
        for database in databases:
            with _database(database, work, "reports") as url:
                env = {**os.environ, "ICTMONITOR_DATABASE_URL": url,
                       "ICTMONITOR_DATA_DIR": str(work)}
                start = time.perf_counter()
                subprocess.run([ICTMONITOR, "demo", "--scale", str(args.scale), "--no-serve",
                                "--output", str(work / "demo")], env=env, check=True,
                               stdout=subprocess.DEVNULL)
                loaded = time.perf_counter() - start
                figures = measure(url, args.formats, work)
                report[database] = {"load_seconds": round(loaded, 1), "reports": figures}
                for line in _summary(database, figures):
                    print(line, flush=True)
    _write(args.scale, report)


def measure(url: str, formats: str, data_dir: Path) -> dict:  # type: ignore[type-arg]
    """Time the reports and their SQL on a loaded database, in a fresh process."""
    env = {**os.environ, "ICTMONITOR_DATABASE_URL": url, "ICTMONITOR_DATA_DIR": str(data_dir)}
    done = subprocess.run([PYTHON, str(ROOT / "bench" / "measure_reports.py"), formats],
                          env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _write(scale: float, report: dict) -> None:  # type: ignore[type-arg]
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"reports-{scale:g}.json").write_text(json.dumps(report, indent=2) + "\n")


def _summary(database: str, figures: dict) -> list[str]:  # type: ignore[type-arg]
    lines = []
    for report_id, f in figures.items():
        formats = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in f.items()
                            if k in {"json", "csv", "xlsx", "pdf"})
        sql = (f"; hand-written SQL {f['sql'] * 1000:.0f} ms, report/SQL = {f['ratio']:.2f}"
               if "sql" in f else "; no reference query")
        lines.append(f"{database} {report_id} --by {','.join(f['by'])}: report "
                     f"{f['report'] * 1000:.0f} ms ({formats}){sql}")
    return lines


if __name__ == "__main__":
    main()
