"""Benchmark: 200 measuring agents posting their batches at once (issue 16).

    .venv/bin/python bench/agents_ingest.py [--agents 200] [--batch 100] [--rounds 3]
                                            [--database sqlite|postgresql|both]

On each database: the demo at a small scale (its schools and lines), a device token for each of
`--agents` locations with a line, and `ictmonitor serve` on loopback. Every agent posts
`--rounds` batches of `--batch` measurements (four speed tests and pings, as the agent makes
them) to `POST /api/v1/measurements/batches` with its device token, all agents in the same
instant each round; then every agent posts its first batch again (a resend after a lost answer).
Reports the posts' p50/p95/max, and checks that nothing was lost or doubled: every item of the
first posts accepted, every item of the resends a duplicate, and the table holding exactly
agents × rounds × batch rows. Goal: p95 under 200 ms per post on PostgreSQL. Writes
bench/out/agents_ingest.json. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pgcluster  # noqa: E402

from bench.assessment_load import percentiles  # noqa: E402

ICTMONITOR = str(Path(sys.executable).parent / "ictmonitor")
GOAL_P95_MS = {"postgresql": 200.0}
TOKENS = """
import json, os
from ictmonitor.connectivity.models import Subscription
from ictmonitor.measurements import tokens
from ictmonitor.registry.models import Location
wanted = int(os.environ["AGENTS"])
ids = (Subscription.objects.filter(ended_on__isnull=True).order_by("location_id")
       .values_list("location_id", flat=True).distinct()[:wanted])
made = [tokens.issue(Location.objects.get(pk=pk), "bench", by="bench")[1] for pk in ids]
print(json.dumps(made))
"""
COUNT = """
from ictmonitor.measurements.models import Measurement
print(Measurement.objects.filter(device="bench").count())
"""


def batch(agent: int, round_: int, size: int) -> list[dict[str, object]]:
    """One agent's batch: a speed test then pings every 15 minutes, in school hours."""
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC) + timedelta(days=10 * round_)
    items: list[dict[str, object]] = []
    for n in range(size):
        at = (start + timedelta(minutes=15 * n % 480, days=15 * n // 480)).isoformat()
        key = f"a{agent}-r{round_}-{n}"
        if n % 25 == 0:
            items.append({"key": key, "measured_at": at, "kind": "speed", "path": "primary",
                          "download_mbps": 90.0 + agent % 10, "upload_mbps": 20.0,
                          "latency_ms": 12.0, "jitter_ms": 1.5})
        else:
            items.append({"key": key, "measured_at": at, "kind": "ping", "path": "primary",
                          "reachable": 1, "latency_ms": 11.0, "loss_pct": 0})
    return items


class Agent:
    """One device: its token, its own connection, its timings and what went wrong."""

    def __init__(self, port: int, number: int, secret: str) -> None:
        self.port, self.number, self.secret = port, number, secret
        self.seconds: list[float] = []
        self.errors: list[str] = []
        self.counts = {"accepted": 0, "duplicates": 0, "refused": 0}

    def post(self, items: list[dict[str, object]]) -> None:
        body = json.dumps({"measurements": items})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        start = time.perf_counter()
        try:
            connection.request("POST", "/api/v1/measurements/batches", body, {
                "Authorization": f"Bearer {self.secret}", "Content-Type": "application/json"})
            answer = connection.getresponse()
            content = answer.read()
        except OSError as error:
            self.errors.append(repr(error))
            return
        finally:
            connection.close()
        self.seconds.append(time.perf_counter() - start)
        if answer.status != 200:
            self.errors.append(f"{answer.status} {content[:200]!r}")
            return
        found = json.loads(content)
        for name in self.counts:
            self.counts[name] += found[name]


def together(agents: list[Agent], items: dict[int, list[dict[str, object]]]) -> None:
    """Every agent posts its batch in the same instant."""
    gate = threading.Barrier(len(agents))

    def run(agent: Agent) -> None:
        gate.wait()
        agent.post(items[agent.number])

    threads = [threading.Thread(target=run, args=(a,)) for a in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_on(database: str, agents_wanted: int, size: int, rounds: int) -> dict[str, object]:
    """The figures for one database."""
    with tempfile.TemporaryDirectory(prefix="ictmonitor-agents-") as name:
        folder = Path(name)
        cluster = pgcluster.start() if database == "postgresql" else None
        url = cluster.url if cluster else f"sqlite:///{folder / 'agents.sqlite3'}"
        env = {**os.environ, "ICTMONITOR_DATABASE_URL": url, "ICTMONITOR_DATA_DIR": str(folder),
               "AGENTS": str(agents_wanted)}
        server = None
        try:
            subprocess.run([ICTMONITOR, "demo", "--scale", "0.1", "--no-serve"], env=env,
                           check=True, capture_output=True)
            made = subprocess.run([ICTMONITOR, "shell", "-c", TOKENS], env=env, check=True,
                                  capture_output=True, text=True)
            secrets = json.loads(made.stdout.strip().splitlines()[-1])
            port = pgcluster.free_port()
            server = subprocess.Popen([ICTMONITOR, "serve", "--host", "127.0.0.1", "--port",
                                       str(port), "--threads", "8"], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      text=True)
            assert server.stdout is not None
            server.stdout.readline()  # "ictmonitor is served at ..."
            agents = [Agent(port, n, s) for n, s in enumerate(secrets)]
            for round_ in range(rounds):
                together(agents, {a.number: batch(a.number, round_, size) for a in agents})
            first = {a.number: dict(a.counts) for a in agents}
            together(agents, {a.number: batch(a.number, 0, size) for a in agents})
            stored = int(subprocess.run([ICTMONITOR, "shell", "-c", COUNT], env=env,
                                        check=True, capture_output=True,
                                        text=True).stdout.strip().splitlines()[-1])
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            if cluster is not None:
                cluster.stop()
    posts = percentiles([s for a in agents for s in a.seconds])
    errors = [e for a in agents for e in a.errors]
    expected = len(agents) * rounds * size
    accepted = sum(c["accepted"] for c in first.values())
    resent = sum(a.counts["duplicates"] - first[a.number]["duplicates"] for a in agents)
    goal = GOAL_P95_MS.get(database)
    return {
        "database": database, "agents": len(agents), "batch": size, "rounds": rounds,
        "posts": posts, "errors": len(errors), "error_examples": errors[:5],
        "accepted": accepted, "duplicates_on_resend": resent, "rows_stored": stored,
        "nothing_lost_or_doubled": accepted == expected == stored and resent == len(agents) * size,
        "goal_p95_ms": goal,
        "met": not errors and (goal is None or posts["p95_ms"] < goal),
    }


def main() -> None:
    """Run on each database asked, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"],
                        default="postgresql")
    parser.add_argument("--output", type=Path,
                        default=ROOT / "bench" / "out" / "agents_ingest.json")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = [run_on(d, args.agents, args.batch, args.rounds) for d in databases]
    for r in results:
        posts = r["posts"]
        print(f"{r['database']}: {r['agents']} agents x {r['rounds']} rounds of {r['batch']}: "
              f"p50 {posts['p50_ms']} ms, p95 {posts['p95_ms']} ms, max {posts['max_ms']} ms; "  # type: ignore[index]
              f"errors {r['errors']}; nothing lost or doubled: {r['nothing_lost_or_doubled']}; "
              f"met: {r['met']}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
