"""Benchmark: importing a generated Flemish list of school locations, against the bulk loader.

    .venv/bin/python bench/import_schools.py [--scale 160] [--database sqlite|postgresql|both]

Generates the list with the demo generator (the department's 36-column format), then on each
database: imports a tenth of it and all of it into fresh databases (peak memory should not grow
with the file), imports all of it again (nothing changes), and has the database's own loader put
the same rows into the same tables. Reports rows per second, the ratio and peak memory, and
writes them to bench/out/import_schools.json. A benchmark, not a test: nothing here passes or
fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")

from tests import pgcluster  # noqa: E402

PYTHON = sys.executable
ICTMONITOR = str(Path(PYTHON).parent / "ictmonitor")


def generate(folder: Path, scale: float) -> tuple[Path, Path, float]:
    """The full generated list and its first tenth, and how long generating took."""
    from ictmonitor.demo.generator import generate as write_demo_files

    start = time.perf_counter()
    files = write_demo_files(folder, scale=scale)
    seconds = time.perf_counter() - start
    tenth = folder / "tenth.csv"
    with files.schools.open(encoding="utf-8") as full, tenth.open("w", encoding="utf-8") as out:
        out.writelines(itertools.islice(full, files.locations // 10 + 1))
    return files.schools, tenth, seconds


def child(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run bench/measure.py in a fresh process; its JSON line."""
    done = subprocess.run([PYTHON, str(ROOT / "bench" / "measure.py"), *args], env=env,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh(url: str, data_dir: Path) -> dict[str, str]:
    """An environment pointing at a newly migrated database."""
    env = {**os.environ, "ICTMONITOR_DATABASE_URL": url, "ICTMONITOR_DATA_DIR": str(data_dir)}
    subprocess.run([ICTMONITOR, "migrate", "-v0"], env=env, check=True)
    return env


def run_on(database: str, full: Path, tenth: Path, work: Path) -> dict[str, object]:
    """Every measurement on one database."""
    results: dict[str, object] = {}
    for name, path in (("import_tenth", tenth), ("import", full)):
        with _database(database, work, name) as url:
            env = fresh(url, work)
            results[name] = child(["import", str(path)], env)
            if name == "import":
                results["reimport"] = child(["import", str(path)], env)
                results["loader"] = child(["loader"], env)
    rows = results["import"]["rows"]  # type: ignore[index]
    import_rate = rows / results["import"]["seconds"]  # type: ignore[index]
    loader_rate = rows / results["loader"]["seconds"]  # type: ignore[index]
    results["import_rows_per_second"] = round(import_rate)
    results["loader_rows_per_second"] = round(loader_rate)
    results["ratio"] = round(import_rate / loader_rate, 3)
    return results


class _database:
    """A throwaway database: a SQLite file, or a PostgreSQL server of its own."""

    def __init__(self, kind: str, work: Path, name: str) -> None:
        self.kind, self.path = kind, work / f"{name}.sqlite3"
        self.cluster: pgcluster.Cluster | None = None

    def __enter__(self) -> str:
        if self.kind == "postgresql":
            self.cluster = pgcluster.start()
            return self.cluster.url
        return f"sqlite:///{self.path}"

    def __exit__(self, *exc: object) -> None:
        if self.cluster:
            self.cluster.stop()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def main() -> None:
    """Generate, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=160.0,
                        help="demo scale; 160 gives about a million locations")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory(prefix="ictmonitor-bench-") as folder:
        work = Path(folder)
        full, tenth, generated = generate(work / "files", args.scale)
        report: dict[str, object] = {"scale": args.scale, "generate_seconds": round(generated, 1)}
        for database in databases:
            report[database] = run_on(database, full, tenth, work)
            print(_summary(database, report[database]), flush=True)  # type: ignore[arg-type]
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "import_schools.json").write_text(json.dumps(report, indent=2) + "\n")


def _summary(database: str, r: dict) -> str:  # type: ignore[type-arg]
    return (
        f"{database}: {r['import']['rows']:,} locations; import {r['import']['seconds']:.1f} s "
        f"({r['import_rows_per_second']:,}/s, peak {r['import']['peak_mib']} MiB; a tenth of "
        f"the file: peak {r['import_tenth']['peak_mib']} MiB); re-import (no change) "
        f"{r['reimport']['seconds']:.1f} s; loader {r['loader']['seconds']:.1f} s "
        f"({r['loader_rows_per_second']:,}/s); import/loader rate = {r['ratio']:.2f}"
    )


if __name__ == "__main__":
    main()
