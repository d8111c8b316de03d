"""Benchmark: uploading a million-line feed through the API as a background job.

    .venv/bin/python bench/jobs_upload.py [--lines 1000000] [--scale 20]
                                          [--database sqlite|postgresql|both] [--repeat N]

On each database (fresh, holding the scale's school list; files as bench/import_subscriptions.py
makes them), `ictmonitor serve` runs with its worker, as `make demo` does. The feed is sent to
`POST /api/v1/connectivity/feeds` with an analyst's token; the benchmark times the answer (goal:
under 2 s, with the job's address), then polls the job's address every 0.5 s and records the
longest time its progress (rows read, checked or written, phase) did not move (goal: 2 s at
most; where it stood, and every poll, in the JSON), and the job's own
import rate (rows over its start-to-finish time) against the database's own loader on the same
rows (goal: at least 0.6 of it). With --repeat N each database is measured N times, the
databases taking turns and each job followed at once by its loader, so a machine shared with
other work loads both alike; the ratio reported is the median. Writes
bench/out/jobs_upload.json. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_schools import ICTMONITOR, _database, child, fresh  # noqa: E402
from bench.import_subscriptions import GOAL, prepare  # noqa: E402

ANSWER_GOAL = 2.0  # seconds for the upload's answer
STILL_GOAL = 2.0  # seconds the progress may stand still
POLL = 0.5  # seconds between two looks at the job (a browser looks every second)
TOKEN = ("from ictmonitor.accounts.models import ApiToken, User; "
         "u = User.objects.create_user('bench', role='analyst'); "
         "print(ApiToken.issue(u, 'bench')[1])")


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    """`ictmonitor serve` on a free port, with its worker; the process and the port."""
    server = subprocess.Popen([ICTMONITOR, "serve", "--port", "0"], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert server.stdout is not None
    line = server.stdout.readline()
    found = re.search(r":(\d+)/", line)
    if not found:
        server.kill()
        raise RuntimeError(f"serve did not start: {line!r}")
    return server, int(found.group(1))


def upload(port: int, token: str, feed: Path) -> tuple[float, int, dict[str, object]]:
    """POST the feed as multipart/form-data, streamed; seconds to the answer, status, body."""
    boundary = "ictmonitor-bench-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{feed.name}\"\r\nContent-Type: text/csv\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    start = time.perf_counter()
    connection.putrequest("POST", "/api/v1/connectivity/feeds")
    connection.putheader("Authorization", f"Bearer {token}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + feed.stat().st_size + len(tail)))
    connection.endheaders()
    connection.send(head)
    with feed.open("rb") as data:
        while chunk := data.read(1 << 20):
            connection.send(chunk)
    connection.send(tail)
    answer = connection.getresponse()
    body = json.loads(answer.read())
    seconds = time.perf_counter() - start
    connection.close()
    return seconds, answer.status, body


def follow(port: int, token: str, url: str) -> dict[str, object]:
    """Poll the job until it ends; its states over time and the longest stand-still."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    seen: list[tuple[float, str, str, int]] = []  # when, state, phase, rows read + written
    start = time.perf_counter()
    while True:
        connection.request("GET", url, headers={"Authorization": f"Bearer {token}"})
        job = json.loads(connection.getresponse().read())
        now = time.perf_counter() - start
        seen.append((now, job["state"], job["phase"],  # any of them moving is progress
                     job["rows_read"] + job.get("rows_checked", 0) + job.get("rows_written", 0)))
        if job["state"] in {"succeeded", "refused", "failed"}:
            break
        time.sleep(POLL)
    connection.close()
    running = [s for s in seen if s[1] == "running"]
    still, still_at, last_change, previous = 0.0, None, None, None
    for at, _state, phase, rows in running:
        if (phase, rows) != previous:
            if last_change is not None and at - last_change > still:
                still, still_at = at - last_change, previous
            last_change, previous = at, (phase, rows)
    if running and last_change is not None and seen[-1][0] - last_change > still:
        still, still_at = seen[-1][0] - last_change, previous
    phases: dict[str, float] = {}
    for (at, _s, phase, _r), (after, *_rest) in zip(running, running[1:] + [seen[-1]],
                                                     strict=True):
        phases[phase or "?"] = phases.get(phase or "?", 0.0) + (after - at)
    return {"job": job, "polls": len(seen), "longest_still_seconds": round(still, 2),
            "longest_still_after": list(still_at) if still_at else None,
            "seconds_per_phase": {k: round(v, 1) for k, v in phases.items()},
            "record": [[round(at, 2), state, phase, rows] for at, state, phase, rows in seen]}


def run_on(database: str, files: dict[str, object], work: Path) -> dict[str, object]:
    """Upload, follow, compare with the loader, on one database."""
    results: dict[str, object] = {}
    with _database(database, work, "jobs") as url:
        env = {**fresh(url, work), "ICTMONITOR_IMPORT_MAX_UPLOAD_MB": "100000"}
        child(["import", str(files["schools"])], env)
        token = subprocess.run([ICTMONITOR, "shell", "-c", TOKEN], env=env, check=True,
                               capture_output=True, text=True).stdout.strip().splitlines()[-1]
        server, port = serve(env)
        try:
            seconds, status, body = upload(port, token, files["feed"])  # type: ignore[arg-type]
            results["answer_seconds"] = round(seconds, 2)
            results["answer_status"] = status
            results["answer"] = body
            followed = follow(port, token, str(body["url"]))
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(60)
        job = followed.pop("job")
        results.update(followed)
        results["job_state"] = job["state"]  # type: ignore[index]
        started, finished = job["started_at"], job["finished_at"]  # type: ignore[index]
        took = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
        results["job_seconds"] = round(took, 1)
        results["rows"] = job["rows_read"]  # type: ignore[index]
        # The loader puts the rows the job wrote back into the same table (as in
        # bench/import_subscriptions.py), with the same keys and indexes.
        results["loader"] = child(["subscriptions-loader"], env)
    rows = int(results["rows"])  # type: ignore[call-overload]
    job_rate = rows / float(results["job_seconds"])  # type: ignore[arg-type]
    loader_rate = rows / results["loader"]["seconds"]  # type: ignore[index]
    results["job_rows_per_second"] = round(job_rate)
    results["loader_rows_per_second"] = round(loader_rate)
    results["ratio"] = round(job_rate / loader_rate, 3)
    results["meets_goals"] = {
        "answer_under_2_s": results["answer_seconds"] < ANSWER_GOAL and status == 202,
        "progress_moves_every_2_s": results["longest_still_seconds"] <= STILL_GOAL,
        "rate_at_least_0_6_of_loader": results["ratio"] >= GOAL,
    }
    return results


def main() -> None:
    """Generate, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--scale", type=float, default=20.0,
                        help="demo scale of the school list the lines are spread over")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure each database this many times, taking turns")
    args = parser.parse_args()
    os.environ.pop("ICTMONITOR_DATABASE_URL", None)
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory(prefix="ictmonitor-bench-") as folder:
        work = Path(folder)
        files = prepare(work / "files", args.scale, args.lines)
        report: dict[str, object] = {"scale": args.scale, "lines": files["lines"],
                                     "feed_mib": files["feed_mib"]}
        print(f"generated {files['lines']:,} lines ({files['feed_mib']} MiB)", flush=True)
        runs: dict[str, list[dict[str, object]]] = {database: [] for database in databases}
        for turn in range(args.repeat):
            for database in databases:
                result = run_on(database, files, work)
                result["load_average"] = [round(x, 1) for x in os.getloadavg()]
                runs[database].append(result)
                print(f"{database} (run {turn + 1}): answer {result['answer_seconds']} s "
                      f"({result['answer_status']}); progress still at most "
                      f"{result['longest_still_seconds']} s "
                      f"(after {result['longest_still_after']}) {result['seconds_per_phase']}; job "
                      f"{result['job_seconds']} s ({result['job_rows_per_second']:,}/s) vs "
                      f"loader {result['loader']['seconds']:.1f} s "  # type: ignore[index]
                      f"({result['loader_rows_per_second']:,}/s) = {result['ratio']:.2f}; "
                      f"goals {result['meets_goals']}; load {result['load_average']}",
                      flush=True)
        for database, results in runs.items():
            ratios = sorted(float(r["ratio"]) for r in results)  # type: ignore[arg-type]
            report[database] = {"runs": results, "median_ratio": statistics.median(ratios),
                                "longest_still_seconds": max(
                                    float(r["longest_still_seconds"])  # type: ignore[arg-type]
                                    for r in results),
                                "longest_answer_seconds": max(
                                    float(r["answer_seconds"])  # type: ignore[arg-type]
                                    for r in results)}
            print(f"{database}: median ratio {statistics.median(ratios):.2f} of {ratios}",
                  flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "jobs_upload.json").write_text(json.dumps(report, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
