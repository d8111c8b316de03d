"""Speed tests against a server speaking LibreSpeed's HTTP protocol, measured the way
LibreSpeed's own client (speedtest_worker.js) measures:

- download: several streams each fetch `garbage?ckSize=N` (N chunks of 1 MiB) again and again
  for the test's duration; the bytes of the first moments (the grace time, while TCP ramps up)
  are not counted; speed = bytes × 8 × 1.06 (LibreSpeed's overhead compensation) ÷ seconds;
- upload: the same with streams POSTing random bytes to `empty`, counting what was sent;
- ping and jitter: `count` GETs of `empty` on one kept-alive connection; ping is the lowest
  round trip, jitter LibreSpeed's weighted mean of the differences between consecutive ones
  (the first difference taken as is, then a rise weighs 0.7 and a fall 0.2);
- the public address: `getIP` (LibreSpeed's JSON `processedString`, or plain text).
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from dataclasses import dataclass
from typing import Callable

from ictmonitor_agent.http import connect, join, with_query

OVERHEAD_COMPENSATION = 1.06
BLOCK = 64 * 1024
MEGABIT = 1_000_000


@dataclass
class SpeedResult:
    download_mbps: float
    upload_mbps: float
    latency_ms: float
    jitter_ms: float


def _nonce() -> str:
    return f"r={random.random()}"


def ping_and_jitter(empty_url: str, count: int = 10, timeout: float = 5.0) -> tuple[float, float]:
    """(ping, jitter) in milliseconds, LibreSpeed's way, over `count` requests to `empty`."""
    if count < 2:
        raise ValueError("at least two pings are needed for jitter")
    connection, path = connect(empty_url, timeout)
    ping = jitter = previous = 0.0
    try:
        for i in range(count):
            start = time.perf_counter()
            connection.request("GET", with_query(path, _nonce()))
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                raise OSError(f"{empty_url} answered {response.status}")
            instant = max((time.perf_counter() - start) * 1000, 0.001)
            if i == 0:
                ping = instant
            else:
                ping = min(ping, instant)
                difference = abs(instant - previous)
                if i == 1:
                    jitter = difference
                elif difference > jitter:
                    jitter = jitter * 0.3 + difference * 0.7
                else:
                    jitter = jitter * 0.8 + difference * 0.2
            previous = instant
    finally:
        connection.close()
    return ping, jitter


class _Meter:
    """Bytes moved by all streams, counted only after the grace time."""

    def __init__(self, seconds: float, grace: float) -> None:
        self.start = time.monotonic()
        self.deadline = self.start + seconds
        self.counting_from = self.start + grace
        self.bytes = 0
        self.lock = threading.Lock()
        self.errors: list[str] = []

    def add(self, count: int) -> None:
        if time.monotonic() >= self.counting_from:
            with self.lock:
                self.bytes += count

    def running(self) -> bool:
        return time.monotonic() < self.deadline

    def mbps(self) -> float:
        seconds = max(time.monotonic() - self.counting_from, 1e-6)
        return self.bytes * 8 * OVERHEAD_COMPENSATION / seconds / MEGABIT


def _streams(meter: _Meter, streams: int, work: Callable[[_Meter], None]) -> float:
    def run() -> None:
        try:
            while meter.running():
                work(meter)
        except OSError as error:
            meter.errors.append(str(error))

    threads = [threading.Thread(target=run, daemon=True) for _ in range(streams)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(meter.deadline - time.monotonic(), 0) + 10)
    if meter.bytes == 0:
        raise OSError("nothing was transferred: " + "; ".join(sorted(set(meter.errors)))[:300])
    return meter.mbps()


def download(garbage_url: str, seconds: float, streams: int = 3, chunks: int = 25,
             timeout: float = 10.0) -> float:
    """Download speed in Mbit/s."""
    meter = _Meter(seconds, grace=min(1.5, seconds * 0.2))

    def fetch(meter: _Meter) -> None:
        connection, path = connect(garbage_url, timeout)
        try:
            connection.request("GET", with_query(path, f"{_nonce()}&ckSize={chunks}"))
            response = connection.getresponse()
            if response.status != 200:
                raise OSError(f"{garbage_url} answered {response.status}")
            while meter.running():
                block = response.read(BLOCK)
                if not block:
                    break
                meter.add(len(block))
        finally:
            connection.close()

    return _streams(meter, streams, fetch)


def upload(empty_url: str, seconds: float, streams: int = 3, blob_bytes: int = 20_000_000,
           timeout: float = 10.0) -> float:
    """Upload speed in Mbit/s: random bytes (incompressible) POSTed to `empty`."""
    meter = _Meter(seconds, grace=min(3.0, seconds * 0.2))
    block = os.urandom(BLOCK)

    def send(meter: _Meter) -> None:
        connection, path = connect(empty_url, timeout)
        try:
            connection.putrequest("POST", with_query(path, _nonce()))
            connection.putheader("Content-Type", "application/octet-stream")
            connection.putheader("Content-Length", str(blob_bytes))
            connection.endheaders()
            sent = 0
            while sent < blob_bytes and meter.running():
                piece = block[: min(BLOCK, blob_bytes - sent)]
                connection.send(piece)
                sent += len(piece)
                meter.add(len(piece))
            if sent == blob_bytes:
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise OSError(f"{empty_url} answered {response.status}")
        finally:
            connection.close()

    return _streams(meter, streams, send)


def public_address(getip_url: str, timeout: float = 10.0) -> str:
    """The address the speed-test server sees this agent come from."""
    connection, path = connect(getip_url, timeout)
    try:
        connection.request("GET", with_query(path, _nonce()))
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace").strip()
        if response.status != 200:
            raise OSError(f"{getip_url} answered {response.status}")
    finally:
        connection.close()
    try:
        found = json.loads(body)
    except ValueError:
        found = body
    if isinstance(found, dict):
        found = str(found.get("processedString", ""))
    return str(found).split(" - ")[0].strip()


def run(base_url: str, seconds: float = 10.0, upload_seconds: float | None = None,
        streams: int = 3, chunks: int = 25, pings: int = 10, suffix: str = "") -> SpeedResult:
    """One whole speed test against a LibreSpeed server whose files are under base_url
    (`suffix` ".php" for LibreSpeed's PHP back end: garbage.php, empty.php)."""
    empty = join(base_url, "empty" + suffix)
    ping, jitter = ping_and_jitter(empty, pings)
    down = download(join(base_url, "garbage" + suffix), seconds, streams, chunks)
    up = upload(empty, seconds if upload_seconds is None else upload_seconds, streams)
    return SpeedResult(round(down, 2), round(up, 2), round(ping, 2), round(jitter, 2))
