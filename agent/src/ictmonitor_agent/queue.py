"""Results waiting to be posted, one JSON file each in the state folder's `queue/`.

A result is written (atomically: a temporary file renamed) before anything is posted and removed
only when ictmonitor has answered it accepted or a duplicate, so a crash or a network failure
loses nothing; ictmonitor keys each result on (device, measured_at, kind), so sending one again
doubles nothing. A refused result moves to `refused/` with the reason, never sent again.
Every result is also appended to `journal.jsonl`, the device's own record.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

SAFE = re.compile(r"[^0-9A-Za-z_-]")


class Queue:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.waiting = folder / "queue"
        self.refused = folder / "refused"
        for place in (self.waiting, self.refused):
            place.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def file_name(key: str) -> str:
        return SAFE.sub("_", key) + ".json"

    def put(self, result: dict[str, Any]) -> None:
        """Keep a result until it is posted (the same key twice is kept once)."""
        target = self.waiting / self.file_name(result["key"])
        temporary = target.with_suffix(".tmp")
        text = json.dumps(result, sort_keys=True)
        with temporary.open("w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
        with (self.folder / "journal.jsonl").open("a", encoding="utf-8") as journal:
            journal.write(text + "\n")

    def oldest(self, count: int) -> list[tuple[Path, dict[str, Any]]]:
        """Up to `count` waiting results, oldest first."""
        found = []
        for path in sorted(self.waiting.glob("*.json"))[:count]:
            try:
                found.append((path, json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError):
                path.replace(self.refused / path.name)  # unreadable: set aside, not retried
        return found

    def done(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def refuse(self, path: Path, result: dict[str, Any], reason: str) -> None:
        result = dict(result, refused_because=reason)
        (self.refused / path.name).write_text(json.dumps(result, sort_keys=True),
                                              encoding="utf-8")
        path.unlink()

    def size(self) -> int:
        return sum(1 for _ in self.waiting.glob("*.json"))
