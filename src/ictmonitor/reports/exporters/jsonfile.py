"""The JSON document reports.md specifies: rates as fractions, money in euros, `null` + flag."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from ictmonitor.reports.definitions import Result


def export(result: Result) -> bytes:
    """The result as UTF-8 JSON, exactly `result.as_json()`."""
    text = json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=_plain)
    return (text + "\n").encode("utf-8")


def _plain(value: Any) -> Any:
    """Numbers from the database (Decimal) as JSON numbers; dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
