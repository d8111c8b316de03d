"""A reachability check (the contract's `ping`): a few HTTP requests to a URL (by default the
speed-test server's `empty`), not ICMP, which needs privileges a school's small computer may not
give. Reachable when any request is answered; loss is the share that was not."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ictmonitor_agent.http import connect, with_query


@dataclass
class Reachability:
    reachable: bool
    latency_ms: float | None
    loss_pct: float


def check(url: str, tries: int = 4, timeout: float = 5.0) -> Reachability:
    """Try the URL `tries` times, each on a new connection (a dead line shows as lost)."""
    times = []
    for i in range(tries):
        start = time.perf_counter()
        try:
            connection, path = connect(url, timeout)
            try:
                connection.request("GET", with_query(path, f"r={time.time()}-{i}"))
                response = connection.getresponse()
                response.read()
            finally:
                connection.close()
        except OSError:
            continue
        if response.status < 500:
            times.append((time.perf_counter() - start) * 1000)
    lost = tries - len(times)
    return Reachability(bool(times), round(min(times), 2) if times else None,
                        round(100 * lost / tries, 1))
