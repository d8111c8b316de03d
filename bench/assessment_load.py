"""Benchmark: 50 coordinators answering and submitting their self-assessment at the same time.

    .venv/bin/python bench/assessment_load.py [--coordinators 50] [--threads 8] [--think 2]
                                              [--output bench/out/assessment_load.json]

Starts a throwaway PostgreSQL server and `ictmonitor serve` on it (loopback only), imports the
demo's invented schools, gives each coordinator a school and a session, then lets them all go
at once (threads, one HTTP client each): open the questionnaire, save every answer the way the
page's autosave does (one POST per changed answer), then submit, which scores, makes the action
plan and awards the label. Between two answers a coordinator reads for `--think` seconds on
average (uniform from half to one and a half times it; a person takes far longer); `--think 0`
sends back to back, a stress test of the server's throughput rather than of what a person waits.
Measures each saved answer and each submit (the POST, not the page it redirects to) and writes
p50/p95/max and the rate to the output. Goals: p95 < 300 ms for a saved answer, < 1 s for a
submit. A benchmark, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pgcluster  # noqa: E402

from bench.browser import Browser  # noqa: E402

ICTMONITOR = str(Path(sys.executable).parent / "ictmonitor")
GOALS = {"save": 0.300, "submit": 1.0}
SETUP = """
import json, os
from pathlib import Path
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from ictmonitor.accounts.models import User
from ictmonitor.demo.generator import generate
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution
files = generate(Path(os.environ["ICTMONITOR_DATA_DIR"]) / "schools", scale=0.05)
import_school_list(files.schools, actor="bench")
wanted = int(os.environ["BENCH_COORDINATORS"])
made = []
for n, school in enumerate(Institution.objects.filter(level="basis").order_by("number")[:wanted]):
    user = User.objects.create(username=f"bench{n}", role="coordinator", email="b@example.org")
    user.institutions.set([school])
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    made.append([school.number, session.session_key])
print(json.dumps(made))
"""


class Coordinator(Browser):
    """One coordinator's browser, signed in, timing each saved answer and the submit."""

    def __init__(self, base: str, number: str, session: str) -> None:
        super().__init__(base)
        self.number = number
        self.set_session(session)
        self.saves: list[float] = []
        self.submits: list[float] = []
        self.errors: list[str] = []

    def run(self, areas: dict[str, list[str]], start: threading.Barrier, seed: int,
            think: float) -> None:
        """Open the questionnaire, answer everything with autosave, submit."""
        rng = random.Random(seed)
        school = f"/assessment/school/{self.number}/"
        try:
            self.request(school)
            start.wait()
            self.request(school, {"action": "start"})
            for area, questions in areas.items():
                self.request(f"{school}answers/?area={area}")
                for code in questions:
                    time.sleep(rng.uniform(0.5 * think, 1.5 * think))
                    status, content, seconds = self.request(
                        f"{school}answers/?area={area}",
                        {"area": area, code: str(rng.choice((1, 2, 2, 3)))},
                        {"X-Autosave": "1"})
                    if status != 200 or b'"saved": true' not in content:
                        self.errors.append(f"save {code}: {status}")
                    self.saves.append(seconds)
            self.request(f"{school}submit/")
            status, _content, seconds = self.request(f"{school}submit/", {"confirm": "on"})
            if status != 302:
                self.errors.append(f"submit: {status}")
            self.submits.append(seconds)
        except Exception as error:  # noqa: BLE001 - reported with the figures
            self.errors.append(repr(error))


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95, max and count, in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0
    return {"count": len(ordered), "p50_ms": round(1000 * statistics.median(ordered), 1)
            if ordered else 0, "p95_ms": round(1000 * p95, 1),
            "max_ms": round(1000 * max(ordered, default=0), 1)}


def main() -> None:
    """Set up, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coordinators", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8, help="the server's worker threads")
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds a coordinator reads between two answers")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "out" /
                        "assessment_load.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ictmonitor-bench-") as folder, \
            pgcluster.start() as cluster:
        env = {**os.environ, "ICTMONITOR_DATABASE_URL": cluster.url,
               "ICTMONITOR_DATA_DIR": folder, "DJANGO_SETTINGS_MODULE": "ictmonitor.settings"}
        subprocess.run([ICTMONITOR, "migrate", "-v0"], env=env, check=True)
        made = subprocess.run([ICTMONITOR, "shell", "-c", SETUP],
                              env={**env, "BENCH_COORDINATORS": str(args.coordinators)},
                              check=True, capture_output=True, text=True)
        users = json.loads(made.stdout.strip().splitlines()[-1])
        port = pgcluster.free_port()
        server = subprocess.Popen([ICTMONITOR, "serve", "--host", "127.0.0.1", "--port",
                                   str(port), "--threads", str(args.threads)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert server.stdout is not None
            server.stdout.readline()  # "ictmonitor is served at ..."
            report = load(f"http://127.0.0.1:{port}", users, args.threads, args.think)
        finally:
            server.terminate()
            server.wait(timeout=30)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


def load(base: str, users: list[list[str]], threads: int, think: float) -> dict[str, object]:
    """Every coordinator at once; the figures."""
    sys.path.insert(0, str(ROOT / "src"))
    from ictmonitor.assessment import framework

    fw = framework.get("ictmonitor-online-safety")
    areas = {a.code: [q.code for q in a.questions] for a in fw.areas}
    people = [Coordinator(base, number, session) for number, session in users]
    barrier = threading.Barrier(len(people))
    workers = [threading.Thread(target=p.run, args=(areas, barrier, n, think))
               for n, p in enumerate(people)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    saves = percentiles([s for p in people for s in p.saves])
    submits = percentiles([s for p in people for s in p.submits])
    return {
        "coordinators": len(people), "server_threads": threads, "database": "postgresql",
        "think_seconds": think, "questions": sum(len(q) for q in areas.values()),
        "seconds": round(seconds, 1), "saves_per_second": round(saves["count"] / seconds, 1),
        "save": saves, "submit": submits,
        "goals_ms": {k: 1000 * v for k, v in GOALS.items()},
        "met": {"save": saves["p95_ms"] < 1000 * GOALS["save"],
                "submit": submits["p95_ms"] < 1000 * GOALS["submit"]},
        "errors": [e for p in people for e in p.errors][:20],
    }


if __name__ == "__main__":
    main()
