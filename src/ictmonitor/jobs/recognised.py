"""The kind an uploaded file belongs to, read from its header before it is queued: a pupil-count
file sent as a school list is refused on the form itself, naming what it looks like, and the
page keeps the file (jobs/kept.py), so choosing the right kind and sending again is all it takes
(issue 17 item 4). A header that fits no kind goes on to the job, which names its columns.
"""

from __future__ import annotations

import csv
import re
from typing import Any

from ictmonitor.core.csvfiles import detect_delimiter
from ictmonitor.core.recognise import fitting_kinds
from ictmonitor.jobs.kinds import KINDS

HEAD = 64 * 1024  # bytes read for the header line
_LINE_END = re.compile(r"\r\n|\r|\n")


def header_cells(upload: Any) -> list[str]:
    """The cells of the upload's first line (UTF-8, else Latin-1, as the contracts allow)."""
    head = next(iter(upload.chunks(HEAD)), b"")
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("latin-1")
    first = _LINE_END.split(text, maxsplit=1)[0]
    try:
        return next(csv.reader([first], delimiter=detect_delimiter(first)), [])
    except csv.Error:
        return []


def job_kind(contract_kind: str) -> str | None:
    """The job kind a contract's files are sent as (`schools-duo` is a `schools` file)."""
    if contract_kind in KINDS:
        return contract_kind
    base = contract_kind.split("-", 1)[0]
    return base if base in KINDS else None


def other_kind(upload: Any, chosen: str) -> str | None:
    """The job kind this file looks like when its header fits another kind and not the chosen
    one; None when it fits the chosen kind, or none at all."""
    fitting = [k for k in (job_kind(c) for c in fitting_kinds(header_cells(upload))) if k]
    if not fitting or chosen in fitting:
        return None
    return fitting[0]
