"""The demo's load as a background job (`ictmonitor demo --background`, for large scales): the
same steps as in the foreground (demo/loading.py), their progress on the job's page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ictmonitor.core.recording import WriteRefused
from ictmonitor.core.workkinds import Progress, WorkDone
from ictmonitor.demo.loading import STEPS, DemoRefused, Reporting, load_demo


def load(parameters: dict[str, Any], *, user: Any, actor: str,
         progress: Progress) -> WorkDone:
    """Load the demo at the scale and seed asked; the job's summary is the load's last line."""
    said: list[str] = []
    try:
        load_demo(scale=float(parameters["scale"]), seed=int(parameters["seed"]),
                  output=Path(parameters["output"]),
                  report=Reporting(say=said.append, step=progress))
    except DemoRefused as refused:
        raise WriteRefused(f"{refused} ({'; '.join(refused.lines[:3])})", "refused") from None
    progress(STEPS, STEPS, "")
    return WorkDone(summary=f"Demo loaded. {said[-1] if said else ''}".strip())
