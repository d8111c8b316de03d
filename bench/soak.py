"""Soak: users keep working while a 1,000,000-row school list imports.

    .venv/bin/python bench/soak.py [--rows 1000000] [--users 20] [--think 1.0]
                                   [--database sqlite|postgresql|both]
                                   [--output bench/out/soak.json]

On each database: a fresh, migrated database with a few schools, `--users` coordinators each with
a password, a school, an assessment in progress and an API token; `ictmonitor serve` on loopback.
First the generated list (the department's 36-column format) is imported into a copy of the
database with nothing else running: the import's own time. Then the same file is imported while
every user, in a loop with `--think` seconds between actions (uniform from half to one and a
half times it), saves an assessment answer the way the page's autosave does and reads a school
with the API token, five times each, then logs in again, until the import ends. Every request
must be answered: an error is a status other than the one expected, or no answer within 60 s.
Reports, per action and for all, the count, errors, p50/p95/max, and the import's time under
load beside its time alone. Goals:
0 errors; p95 under 1 s on SQLite, under 300 ms on PostgreSQL. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pgcluster  # noqa: E402

from bench.assessment_load import percentiles  # noqa: E402
from bench.browser import Browser  # noqa: E402

ICTMONITOR = str(Path(sys.executable).parent / "ictmonitor")
GOAL_P95 = {"sqlite": 1.0, "postgresql": 0.300}
PASSWORD = "Soak-test-password-2026"
SETUP = """
import json, os
from pathlib import Path
from ictmonitor.accounts.models import ApiToken, User
from ictmonitor.assessment import services
from ictmonitor.demo.generator import generate
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution
files = generate(Path(os.environ["ICTMONITOR_DATA_DIR"]) / "few", scale=0.02)
import_school_list(files.schools, actor="soak")
made = []
schools = Institution.objects.order_by("number")[: int(os.environ["SOAK_USERS"])]
for n, school in enumerate(schools):
    user = User.objects.create_user(f"soak{n}", "soak@example.org", os.environ["SOAK_PASSWORD"],
                                    role="coordinator")
    user.institutions.set([school])
    services.start_assessment(school, by=user)
    _token, secret = ApiToken.issue(user, "soak")
    made.append([user.username, school.number, secret])
print(json.dumps(made))
"""


class User(Browser):
    """One person with a browser (cookies, CSRF) and a program (the API token)."""

    def __init__(self, base: str, username: str, school: str, secret: str,
                 questions: list[tuple[str, str]]) -> None:
        super().__init__(base)
        self.username, self.school, self.secret = username, school, secret
        self.questions = questions
        self.timings: dict[str, list[float]] = {"login": [], "save": [], "api": []}
        self.errors: list[str] = []

    def _timed(self, action: str, expected: int, path: str, data: dict[str, str] | None = None,
               headers: dict[str, str] | None = None, must_contain: bytes = b"") -> None:
        status, content, seconds = self.request(path, data, headers)
        self.timings[action].append(seconds)
        if status != expected or must_contain not in content:
            self.errors.append(f"{action} {path}: {status} {content[:120]!r}")

    def login(self) -> None:
        """Open the login page (the CSRF cookie), then log in with the password."""
        self.jar.clear()
        self.request("/accounts/login/")
        self._timed("login", 302, "/accounts/login/",
                    {"username": self.username, "password": PASSWORD})

    def run(self, seed: int, think: float, stop: threading.Event) -> None:
        """Log in, then save, read and log in again in turn until told to stop."""
        rng = random.Random(seed)
        school = f"/assessment/school/{self.school}/answers/"
        actions = itertools.cycle(["save", "api"] * 5 + ["login"])
        try:
            time.sleep(rng.uniform(0, think))  # people do not all arrive in the same instant
            self.login()
            while not stop.is_set():
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
                action = next(actions)
                if action == "login":
                    self.login()
                elif action == "save":
                    area, code = rng.choice(self.questions)
                    self._timed("save", 200, f"{school}?area={area}",
                                {"area": area, code: str(rng.choice((1, 2, 3)))},
                                {"X-Autosave": "1"}, b'"saved": true')
                else:
                    self._timed("api", 200, f"/api/v1/schools/{self.school}",
                                headers={"Authorization": f"Bearer {self.secret}"})
        except Exception as error:  # noqa: BLE001 - reported with the figures
            self.errors.append(repr(error))


def prepared(database: str, folder: Path, users: int) -> tuple[dict[str, str], list, object]:
    """A migrated database with the users; (environment, users made, cluster or None)."""
    cluster = None
    if database == "postgresql":
        cluster = pgcluster.start()
        url = cluster.url
    else:
        url = f"sqlite:///{folder / 'soak.sqlite3'}"
    env = {**os.environ, "ICTMONITOR_DATABASE_URL": url, "ICTMONITOR_DATA_DIR": str(folder),
           "DJANGO_SETTINGS_MODULE": "ictmonitor.settings",
           "SOAK_USERS": str(users), "SOAK_PASSWORD": PASSWORD}
    subprocess.run([ICTMONITOR, "migrate", "-v0"], env=env, check=True)
    made = subprocess.run([ICTMONITOR, "shell", "-c", SETUP], env=env, check=True,
                          capture_output=True, text=True)
    return env, json.loads(made.stdout.strip().splitlines()[-1]), cluster


def import_alone(database: str, big: Path, folder: Path) -> float:
    """The import's own seconds, into a fresh database with nothing else running."""
    alone = folder / "alone"
    alone.mkdir()
    env, _users, cluster = prepared(database, alone, 1)
    try:
        return timed_import(env, big)[0]
    finally:
        if cluster is not None:
            cluster.stop()  # type: ignore[attr-defined]
        shutil.rmtree(alone, ignore_errors=True)


def timed_import(env: dict[str, str], big: Path) -> tuple[float, str]:
    """Seconds and the last line of `ictmonitor import schools`; raises if it failed."""
    start = time.perf_counter()
    done = subprocess.run([ICTMONITOR, "import", "schools", str(big)], env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"the import failed: {done.stderr[-2000:]}")
    return seconds, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def soak(database: str, big: Path, rows: int, users: int, think: float) -> dict[str, object]:
    """The figures for one database."""
    from ictmonitor.assessment import framework

    fw = framework.get("ictmonitor-online-safety")
    questions = [(a.code, q.code) for a in fw.areas for q in a.questions]
    with tempfile.TemporaryDirectory(prefix="ictmonitor-soak-") as name:
        folder = Path(name)
        alone = import_alone(database, big, folder)
        env, made, cluster = prepared(database, folder, users)
        port = pgcluster.free_port()
        server = subprocess.Popen([ICTMONITOR, "serve", "--host", "127.0.0.1", "--port",
                                   str(port), "--threads", "8"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert server.stdout is not None
            server.stdout.readline()  # "ictmonitor is served at ..."
            base = f"http://127.0.0.1:{port}"
            people = [User(base, u, s, t, questions) for u, s, t in made]
            stop = threading.Event()
            workers = [threading.Thread(target=p.run, args=(n, think, stop))
                       for n, p in enumerate(people)]
            for worker in workers:
                worker.start()
            time.sleep(2 * think)  # everyone is logged in and working
            loaded, said = timed_import(env, big)
            stop.set()
            for worker in workers:
                worker.join(timeout=120)
        finally:
            server.terminate()
            server.wait(timeout=30)
            if cluster is not None:
                cluster.stop()  # type: ignore[attr-defined]
    every = [s for p in people for values in p.timings.values() for s in values]
    figures = {action: percentiles([s for p in people for s in p.timings[action]])
               for action in ("login", "save", "api")}
    overall = percentiles(every)
    errors = [e for p in people for e in p.errors]
    return {
        "database": database, "rows": rows, "users": users, "think_seconds": think,
        "import_seconds_alone": round(alone, 1), "import_seconds_under_load": round(loaded, 1),
        "import_said": said, "requests": overall["count"], "errors": len(errors),
        "error_examples": errors[:10], "all": overall, **figures,
        "goal_p95_ms": 1000 * GOAL_P95[database],
        "met": not errors and overall["p95_ms"] < 1000 * GOAL_P95[database],
    }


def generated(folder: Path, rows: int) -> Path:
    """A school list of exactly `rows` locations, cut from the demo generator's national list."""
    from ictmonitor.demo.generator import generate

    files = generate(folder / "gen", scale=rows / 4000 * 1.05)
    out = folder / f"schools-{rows}.csv"
    with files.schools.open(encoding="utf-8") as full, out.open("w", encoding="utf-8") as cut:
        cut.writelines(itertools.islice(full, rows + 1))
    have = sum(1 for _ in out.open(encoding="utf-8")) - 1
    if have < rows:
        raise SystemExit(f"the generator made {have} rows, fewer than {rows}")
    return out


def main() -> None:
    """Generate, soak each database, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "out" / "soak.json")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
    import django

    django.setup()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    report = []
    with tempfile.TemporaryDirectory(prefix="ictmonitor-soak-file-") as name:
        big = generated(Path(name), args.rows)
        for database in databases:
            report.append(soak(database, big, args.rows, args.users, args.think))
            print(json.dumps(report[-1], indent=2), flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
