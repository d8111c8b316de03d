"""The measuring agent (agent/, the standard library only: run here without site-packages)
against a live ictmonitor on loopback: its results are stored; the server stopped and started
again mid-way loses nothing and doubles nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from ictmonitor.measurements.models import Measurement

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
AGENT_SOURCE = Path(__file__).resolve().parents[2] / "agent" / "src"
FAST = ["--download-seconds", "0.4", "--upload-seconds", "0.4", "--chunks", "2"]


class Server:
    """ictmonitor on a loopback port that stays the same when stopped and started again."""

    def __init__(self) -> None:
        self.live = LiveServer("127.0.0.1:0")
        self.port = self.live.thread.port
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.live.stop()

    def start(self) -> None:
        self.live = LiveServer(f"127.0.0.1:{self.port}")


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.live.stop()


@pytest.fixture
def agent_args(device: Any, tmp_path: Path, server: Server) -> list[str]:
    _token, secret = device
    token_file = tmp_path / "token"
    token_file.write_text(secret)
    return ["--server", server.url, "--token-file", str(token_file),
            "--state-dir", str(tmp_path / "state"), *FAST]


def agent(args: list[str], **popen: Any) -> subprocess.Popen[str]:
    """The agent as a school runs it, but with no site-packages (-S): stdlib only."""
    env = {**os.environ, "PYTHONPATH": str(AGENT_SOURCE)}
    env.pop("ICTMONITOR_AGENT_TOKEN", None)
    return subprocess.Popen([sys.executable, "-S", "-m", "ictmonitor_agent", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def once(args: list[str]) -> int:
    run = agent(["--once", *args])
    _out, err = run.communicate(timeout=120)
    assert run.returncode in (0, 3), err
    return run.returncode


def journal(state: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (state / "journal.jsonl").read_text().splitlines()]


def stored() -> set[tuple[str, str]]:
    return {(m.measured_at.isoformat(), m.kind) for m in Measurement.objects.all()}


def keys(results: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(r["measured_at"], r["kind"]) for r in results}


def test_the_agent_posts_its_results_and_notices_a_failover(agent_args: list[str], tmp_path: Path,
                                                            line: Any) -> None:
    assert once(agent_args) == 0
    ping, speed = Measurement.objects.order_by("kind")
    assert (ping.kind, ping.path, ping.reachable, ping.line_id) == ("ping", "primary", True,
                                                                    line.pk)
    assert (speed.kind, speed.path, speed.device) == ("speed", "primary", "pi-1")
    assert speed.download_mbps > 0 and speed.upload_mbps > 0
    assert speed.latency_ms is not None and speed.jitter_ms is not None
    assert once([*agent_args, "--path-command", "echo backup"]) == 0
    failover = Measurement.objects.get(kind="failover")
    assert failover.path == "backup"
    assert Measurement.objects.filter(path="backup").count() == 3
    assert not list((tmp_path / "state" / "queue").iterdir())


def test_the_server_stopped_and_started_loses_nothing_and_doubles_nothing(
        agent_args: list[str], tmp_path: Path, server: Server) -> None:
    state = tmp_path / "state"
    assert once(agent_args) == 0
    sent = journal(state)
    server.stop()
    assert once(agent_args) == 3  # offline: the ping (unreachable) waits in the queue
    waiting = [json.loads(p.read_text()) for p in (state / "queue").glob("*.json")]
    assert [(r["kind"], r["reachable"]) for r in waiting] == [("ping", 0)]
    # as if the first answers had been lost: the same results are sent again
    for result in sent:
        (state / "queue" / f"again-{result['kind']}.json").write_text(json.dumps(result))
    server.start()
    assert once(agent_args) == 0
    every = journal(state)
    assert len(every) == 5 and stored() == {
        (m.isoformat(), k) for m, k in
        ((_parse(r["measured_at"]), r["kind"]) for r in every)}
    assert Measurement.objects.count() == len(keys(every)) == 5


def test_the_agent_running_on_its_schedule_through_an_outage(agent_args: list[str],
                                                             tmp_path: Path,
                                                             server: Server) -> None:
    state = tmp_path / "state"
    running = agent([*agent_args, "--ping-every", "0.5", "--speed-every", "3600",
                     "--ping-always"])
    try:
        _wait(lambda: Measurement.objects.filter(kind="ping").count() >= 2, running)
        server.stop()
        _wait(lambda: any(r.get("reachable") == 0 for r in journal(state)), running)
        time.sleep(1)
        server.start()
        _wait(lambda: not list((state / "queue").glob("*.json"))
              and Measurement.objects.filter(reachable=False).exists(), running)
    finally:
        running.send_signal(signal.SIGTERM)
        _out, err = running.communicate(timeout=60)
    assert running.returncode == 0, err
    every = journal(state)
    assert not list((state / "queue").glob("*.json")), err
    assert Measurement.objects.count() == len(keys(every)) == len(every)
    assert stored() == {(_parse(r["measured_at"]).isoformat(), r["kind"]) for r in every}


def _parse(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text)


def _wait(condition: Any, running: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert running.poll() is None, running.communicate()[1]
        time.sleep(0.2)
    raise AssertionError("the agent did not get there in time")


def test_the_agent_package_needs_nothing_outside_the_standard_library() -> None:
    """Every module imports with no site-packages at all (and no Django)."""
    modules = sorted(p.stem for p in (AGENT_SOURCE / "ictmonitor_agent").glob("*.py")
                     if p.stem != "__main__")
    code = ("import sys; " + "; ".join(f"import ictmonitor_agent.{m}" for m in modules)
            + "; assert 'django' not in sys.modules")
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(AGENT_SOURCE)}, check=False)
    assert done.returncode == 0, done.stderr
    assert shutil.which("echo")
