"""Benchmark: 200 measuring agents posting their batches at once (issue 16).

    .venv/bin/python bench/agents_ingest.py [--agents 200] [--batch 100] [--rounds 3]
                                            [--servers 1] [--database sqlite|postgresql|both]

On each database: the demo at a small scale (its schools and lines), a device token for each of
`--agents` locations with a line, and ictmonitor on loopback: with `--servers 1` the default
`ictmonitor serve` (waitress, 8 threads, its worker beside it); with `--servers N` as
docs/operations.md runs production, N `ictmonitor serve --no-worker` processes on ports of their
own (the agents spread over them as the reverse proxy would) and one `ictmonitor worker`. Every
agent posts `--rounds` batches of `--batch` measurements (four speed tests and pings, as the
agent makes them) to `POST /api/v1/measurements/batches` with its device token, all agents in
the same instant each round; the answer comes once the batch waits in the inbox, and the
worker folds it into the raw table (measurements/inbox.py). Once the inbox is empty every agent
posts its first batch again (a resend after a lost answer), and the inbox is waited for again.
Reports the posts' p50/p95/max, how long the fold took to empty the inbox after the last
answer, the CPU per post of the servers, the worker and PostgreSQL, and the machine's load; and
checks that nothing was lost or doubled: every item of the first posts accepted, every item of
the resends a duplicate, and the table holding exactly agents × rounds × batch rows. Goal: p95
under 200 ms per post on PostgreSQL. Writes bench/out/agents_ingest.json. A benchmark, not a
test.

The agents are one lean client, so its own work is not timed against the server's: every
request is made as bytes beforehand (headers and JSON body), then one thread opens the
connections at once and sends and reads them all with non-blocking sockets (`selectors`); a
post's time runs from its connect to the last byte of its answer, and the answers are read
(status, JSON, counts) only after the last one is in. (200 Python threads with http.client, as
before, cost the client as much CPU as a trivial server's whole answer: half the floor.)
A server that does not start is an error naming what it said (it used to leave its agents'
posts "Connection refused").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import selectors
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

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
STORED = "SELECT count(*) FROM measurements_measurement WHERE device = 'bench'"
WAITING = "SELECT count(*) FROM measurements_receivedbatch"


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
    """One device: its token, the port it posts to, its timings and what went wrong."""

    def __init__(self, port: int, number: int, secret: str) -> None:
        self.port, self.number, self.secret = port, number, secret
        self.seconds: list[float] = []
        self.errors: list[str] = []
        self.counts = {"accepted": 0, "duplicates": 0, "refused": 0}

    def request(self, body: bytes) -> bytes:
        """The whole HTTP request posting a batch, as bytes."""
        return (f"POST /api/v1/measurements/batches HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Authorization: Bearer {self.secret}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body

    def answered(self, seconds: float, answer: bytes) -> None:
        """Read an answer (after the clock stopped): its time, counts, or what went wrong."""
        head, _, content = answer.partition(b"\r\n\r\n")
        status = head.split(b" ", 2)[1:2]
        if status != [b"200"]:
            self.errors.append(f"{head[:60]!r} {content[:200]!r}")
            return
        if b"transfer-encoding: chunked" in head.lower():
            content = unchunked(content)
        self.seconds.append(seconds)
        found = json.loads(content)
        for name in self.counts:
            self.counts[name] += found[name]


def unchunked(content: bytes) -> bytes:
    """A chunked body's content."""
    out, rest = [], content
    while rest:
        size, _, rest = rest.partition(b"\r\n")
        length = int(size.split(b";")[0], 16)
        if not length:
            break
        out.append(rest[:length])
        rest = rest[length + 2:]
    return b"".join(out)


class Exchange:
    """One post on the wire: what is left to send, what came back, when it started and ended."""

    def __init__(self, agent: Agent, request: bytes) -> None:
        self.agent, self.pending = agent, memoryview(request)
        self.received: list[bytes] = []
        self.started = self.ended = 0.0
        self.error = ""


def together(agents: list[Agent], items: dict[int, list[dict[str, object]]],
             most: float = 120.0) -> None:
    """Every agent posts its batch in the same instant, from one thread: the requests made as
    bytes first, then all connections opened and served by one selector loop, and the
    answers read once the last is in (the client's own work is not timed)."""
    exchanges = [Exchange(a, a.request(json.dumps({"measurements": items[a.number]}).encode()))
                 for a in agents]
    selector = selectors.DefaultSelector()
    for exchange in exchanges:
        wire = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        wire.setblocking(False)
        exchange.started = time.perf_counter()
        wire.connect_ex(("127.0.0.1", exchange.agent.port))
        selector.register(wire, selectors.EVENT_WRITE, exchange)
    deadline = time.perf_counter() + most
    while selector.get_map() and time.perf_counter() < deadline:
        for key, _events in selector.select(timeout=1.0):
            _step(selector, key.fileobj, key.data)  # type: ignore[arg-type]
    for key in list(selector.get_map().values()):
        key.data.error = f"no answer in {most:.0f} s"
        _finish(selector, key.fileobj, key.data)  # type: ignore[arg-type]
    selector.close()
    for exchange in exchanges:
        if exchange.error:
            exchange.agent.errors.append(exchange.error)
        else:
            exchange.agent.answered(exchange.ended - exchange.started, b"".join(exchange.received))


def _step(selector: selectors.BaseSelector, wire: socket.socket, exchange: Exchange) -> None:
    """Send what is left of the request, or read what came back (the end: the server closed)."""
    try:
        if exchange.pending:
            sent = wire.send(exchange.pending)
            exchange.pending = exchange.pending[sent:]
            if not exchange.pending:
                selector.modify(wire, selectors.EVENT_READ, exchange)
            return
        chunk = wire.recv(1 << 16)
    except BlockingIOError:
        return
    except OSError as error:
        exchange.error = repr(error)
        _finish(selector, wire, exchange)
        return
    if chunk:
        exchange.received.append(chunk)
    else:
        exchange.ended = time.perf_counter()
        _finish(selector, wire, exchange)


def _finish(selector: selectors.BaseSelector, wire: socket.socket, exchange: Exchange) -> None:
    selector.unregister(wire)
    wire.close()


def count(url: str, sql: str) -> int:
    """One number from the database, asked directly (no Django start-up per look)."""
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            return int(db.execute(sql).fetchone()[0])
    with psycopg.connect(url) as db:
        found = db.execute(sql).fetchone()
        assert found is not None
        return int(found[0])


def folded(url: str, most: float = 600.0) -> float:
    """Seconds until the worker has folded every waiting batch."""
    start = time.perf_counter()
    while count(url, WAITING):
        if time.perf_counter() - start > most:
            raise RuntimeError(f"the inbox was not folded in {most:.0f} s")
        time.sleep(0.1)
    return round(time.perf_counter() - start, 2)


def cpu_seconds(pids: list[int]) -> float:
    """The CPU time (user and system) these processes have used so far."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def database_pids(cluster: pgcluster.Cluster | None) -> list[int]:
    """PostgreSQL's processes (the postmaster and its backends); none for SQLite."""
    if cluster is None:
        return []
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    return [postmaster, *children(postmaster)]


def serve(env: dict[str, str], servers: int,
          folder: Path) -> tuple[list[subprocess.Popen[str]], list[int]]:
    """ictmonitor on loopback as asked, once every server answers: the processes and the
    ports. A server that stops before it serves is an error, with what it said."""
    ports = [pgcluster.free_port() for _ in range(servers)]
    alone = ["--no-worker"] if servers > 1 else []  # `serve` alone starts its own worker
    logs = [folder / f"serve-{port}.log" for port in ports]
    running = []
    for port, log in zip(ports, logs, strict=True):
        with log.open("w") as said:
            running.append(subprocess.Popen(
                [ICTMONITOR, "serve", "--host", "127.0.0.1", "--port", str(port), "--threads",
                 "8", *alone], env=env, stdout=subprocess.PIPE, stderr=said, text=True))
    for server, log in zip(running, logs, strict=True):
        assert server.stdout is not None
        if not server.stdout.readline():  # "ictmonitor is served at ..."
            raise RuntimeError(f"a server did not start: {log.read_text()[-2000:]}")
    if alone:
        running.append(subprocess.Popen([ICTMONITOR, "worker", "--no-reload"], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        text=True))
    return running, ports


def run_on(database: str, agents_wanted: int, size: int, rounds: int,
           servers: int) -> dict[str, object]:
    """The figures for one database."""
    with tempfile.TemporaryDirectory(prefix="ictmonitor-agents-") as name:
        folder = Path(name)
        cluster = pgcluster.start() if database == "postgresql" else None
        url = cluster.url if cluster else f"sqlite:///{folder / 'agents.sqlite3'}"
        env = {**os.environ, "ICTMONITOR_DATABASE_URL": url, "ICTMONITOR_DATA_DIR": str(folder),
               "AGENTS": str(agents_wanted)}
        running: list[subprocess.Popen[str]] = []
        try:
            subprocess.run([ICTMONITOR, "demo", "--scale", "0.1", "--no-serve"], env=env,
                           check=True, capture_output=True)
            made = subprocess.run([ICTMONITOR, "shell", "-c", TOKENS], env=env, check=True,
                                  capture_output=True, text=True)
            secrets = json.loads(made.stdout.strip().splitlines()[-1])
            running, ports = serve(env, servers, folder)
            agents = [Agent(ports[n % len(ports)], n, s) for n, s in enumerate(secrets)]
            servers_pids = [p.pid for p in running[:servers]]
            workers = ([p.pid for p in running[servers:]]  # a worker of its own, or the
                       or [pid for p in running for pid in children(p.pid)])  # serve's child
            load_before = os.getloadavg()
            cpu_before = [cpu_seconds(servers_pids), cpu_seconds(workers),
                          cpu_seconds(database_pids(cluster))]
            for round_ in range(rounds):
                together(agents, {a.number: batch(a.number, round_, size) for a in agents})
            load_after = os.getloadavg()
            fold_seconds = folded(url)
            cpu_after = [cpu_seconds(servers_pids), cpu_seconds(workers),
                         cpu_seconds(database_pids(cluster))]
            first = {a.number: dict(a.counts) for a in agents}
            together(agents, {a.number: batch(a.number, 0, size) for a in agents})
            resend_fold_seconds = folded(url)
            stored = count(url, STORED)
        finally:
            for process in running:
                process.terminate()
            for process in running:
                process.wait(timeout=30)
            if cluster is not None:
                cluster.stop()
    posts = percentiles([s for a in agents for s in a.seconds])
    errors = [e for a in agents for e in a.errors]
    expected = len(agents) * rounds * size
    accepted = sum(c["accepted"] for c in first.values())
    resent = sum(a.counts["duplicates"] - first[a.number]["duplicates"] for a in agents)
    goal = GOAL_P95_MS.get(database)
    posted = len(agents) * rounds
    server_ms, fold_ms, database_ms = (round(1000 * (after - before) / posted, 1)
                                       for before, after in zip(cpu_before, cpu_after,
                                                                strict=True))
    return {
        "database": database, "agents": len(agents), "batch": size, "rounds": rounds,
        "servers": servers, "posts": posts, "errors": len(errors), "error_examples": errors[:5],
        "accepted": accepted, "duplicates_on_resend": resent, "rows_stored": stored,
        "folded_after_s": fold_seconds, "resends_folded_after_s": resend_fold_seconds,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
        # CPU per post of the first rounds: the servers' (the requests), the worker's (the
        # fold) and PostgreSQL's (both); the burst's floor is request CPU x agents / CPUs
        "cpu_ms_per_post": {"servers": server_ms, "worker": fold_ms, "database": database_ms},
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
    parser.add_argument("--servers", type=int, default=1,
                        help="1: the default `ictmonitor serve` with its worker; N: N serve "
                        "processes and one worker, as docs/operations.md runs production")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"],
                        default="postgresql")
    parser.add_argument("--output", type=Path,
                        default=ROOT / "bench" / "out" / "agents_ingest.json")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = [run_on(d, args.agents, args.batch, args.rounds, args.servers) for d in databases]
    for r in results:
        posts = r["posts"]
        print(f"{r['database']}: {r['agents']} agents x {r['rounds']} rounds of {r['batch']} "
              f"({r['servers']} server process(es)): "
              f"p50 {posts['p50_ms']} ms, p95 {posts['p95_ms']} ms, max {posts['max_ms']} ms; "  # type: ignore[index]
              f"folded {r['folded_after_s']} s after; errors {r['errors']}; nothing lost or "
              f"doubled: {r['nothing_lost_or_doubled']}; met: {r['met']}; load "
              f"{r['load_average_before']} -> {r['load_average_after']}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
