"""What the agent does on its schedule: check the path (a change is a failover), check
reachability, run speed tests, queue every result, post the queue."""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ictmonitor_agent import pathcheck, reachability, speedtest
from ictmonitor_agent.config import Config
from ictmonitor_agent.http import join
from ictmonitor_agent.poster import Posted, flush
from ictmonitor_agent.queue import Queue

log = logging.getLogger("ictmonitor_agent")
TICK = 30.0


def now_text() -> str:
    """Now, in UTC with its offset, to the millisecond (the contract's measured_at: two results
    of one kind a moment apart are two, not one)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def in_school_hours(moment: datetime | None = None) -> bool:
    local = (moment or datetime.now()).astimezone()
    return local.weekday() < 5 and 8 <= local.hour < 17


class Agent:
    def __init__(self, config: Config, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.clock = clock
        self.folder = Path(config.state_dir)
        self.queue = Queue(self.folder)
        self.state_file = self.folder / "state.json"
        self.state: dict[str, Any] = self._read_state()
        self.primary = pathcheck.networks(config.primary_addresses)
        self.backup = pathcheck.networks(config.backup_addresses)
        self.stopping = threading.Event()

    # the state: last path seen, when each kind last ran
    def _read_state(self) -> dict[str, Any]:
        try:
            return dict(json.loads(self.state_file.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def _save_state(self) -> None:
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.state, sort_keys=True), encoding="utf-8")
        temporary.replace(self.state_file)

    def _queue(self, kind: str, path: str, **values: Any) -> dict[str, Any]:
        measured_at = values.pop("measured_at", None) or now_text()
        result = {"key": f"{measured_at}/{kind}", "measured_at": measured_at, "kind": kind,
                  "path": path, **{k: v for k, v in values.items() if v is not None}}
        self.queue.put(result)
        log.info("measured %s", json.dumps(result, sort_keys=True))
        return result

    def path(self) -> str:
        """The path now; a change since the last check is queued as a failover."""
        base = self.config.speedtest_url()
        getip = join(base, "getIP" + self.config.speedtest_suffix)
        try:
            path = pathcheck.current(self.config.path_command,
                                     lambda: speedtest.public_address(getip),
                                     self.primary, self.backup)
        except (OSError, ValueError) as error:
            path = str(self.state.get("path") or "primary")
            log.warning("cannot tell the path (%s); taking %s", error, path)
            return path
        before = self.state.get("path")
        if before is not None and before != path:
            self._queue("failover", path)
        self.state["path"] = path
        self._save_state()
        return path

    def ping(self, path: str) -> dict[str, Any]:
        url = self.config.ping_url or join(self.config.speedtest_url(),
                                           "empty" + self.config.speedtest_suffix)
        found = reachability.check(url, self.config.ping_tries)
        return self._queue("ping", path, reachable=1 if found.reachable else 0,
                           latency_ms=found.latency_ms, loss_pct=found.loss_pct)

    def speed(self, path: str) -> dict[str, Any] | None:
        measured_at = now_text()
        try:
            result = speedtest.run(self.config.speedtest_url(), self.config.download_seconds,
                                   self.config.upload_seconds, self.config.streams,
                                   self.config.chunks, self.config.pings,
                                   self.config.speedtest_suffix)
        except (OSError, ValueError) as error:
            log.warning("speed test failed: %s", error)  # the ping says whether the line is up
            return None
        return self._queue("speed", path, measured_at=measured_at,
                           download_mbps=result.download_mbps, upload_mbps=result.upload_mbps,
                           latency_ms=result.latency_ms, jitter_ms=result.jitter_ms)

    def post(self) -> Posted | None:
        """Post what is queued; None if ictmonitor cannot be reached now (kept for later)."""
        try:
            posted = flush(self.queue, self.config.ingest_url(), self.config.secret(),
                           self.config.batch_size)
        except OSError as error:
            log.warning("cannot post now, %s results kept: %s", self.queue.size(), error)
            return None
        if posted.accepted or posted.duplicates or posted.refused:
            log.info("posted: %s accepted, %s already there, %s refused",
                     posted.accepted, posted.duplicates, posted.refused)
        return posted

    def once(self) -> int:
        """One round of everything: 0 when nothing is left queued, 3 when some is (offline)."""
        path = self.path()
        self.ping(path)
        self.speed(path)
        self.post()
        return 0 if self.queue.size() == 0 else 3

    def run(self) -> int:
        """Measure on the schedule until stopped (SIGTERM, SIGINT)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stopping.set())
        tick = max(min(TICK, self.config.ping_every / 2), 0.05)
        while not self.stopping.is_set():
            moment = self.clock()
            ping_due = moment - float(self.state.get("last_ping", 0)) >= self.config.ping_every
            speed_due = moment - float(self.state.get("last_speed", 0)) >= self.config.speed_every
            if ping_due or speed_due:
                path = self.path()
                if ping_due and (not self.config.ping_school_hours_only or in_school_hours()):
                    self.ping(path)
                if ping_due:
                    self.state["last_ping"] = moment
                if speed_due:
                    self.speed(path)
                    self.state["last_speed"] = moment
                self._save_state()
            if self.queue.size():
                self.post()
            self.stopping.wait(tick)
        self.post()
        return 0
