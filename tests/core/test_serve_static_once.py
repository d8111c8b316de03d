"""Several `ictmonitor serve` started at once (one per CPU, docs/operations.md) collect the
static files one at a time: the first collects, the others find them current. Two collecting
into the same folder at once left one server dead on a file the other had replaced (issue 16's
agents benchmark: half its posts "Connection refused")."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from ictmonitor.core import collected
from ictmonitor.core.management.commands.serve import Command


def test_servers_started_together_collect_once(tmp_path: Path, settings: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    seen = {"inside": 0, "most": 0, "collections": 0}
    guard = threading.Lock()

    def slow_collection() -> bool:  # as collect_if_needed, a collection taking a while
        if seen["collections"]:
            return False  # current: collected by the one before
        with guard:
            seen["inside"] += 1
            seen["most"] = max(seen["most"], seen["inside"])
        time.sleep(0.2)
        with guard:
            seen["inside"] -= 1
            seen["collections"] += 1
        return True

    monkeypatch.setattr(collected, "collect_if_needed", slow_collection)
    servers = [threading.Thread(target=Command()._collect_static) for _ in range(3)]
    for server in servers:
        server.start()
    for server in servers:
        server.join()
    assert (seen["most"], seen["collections"]) == (1, 1)
