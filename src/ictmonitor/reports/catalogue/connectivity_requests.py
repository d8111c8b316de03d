"""Did requests change before and after a date, e.g. the 2020 lockdown? (seed 000, question 4)"""

from __future__ import annotations

from typing import Any

from ictmonitor.connectivity.selectors.reporting import count_requests, request_span
from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.connectivity_adoption import FEEDS
from ictmonitor.reports.catalogue.shares import per_month
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Lines by request day; `period` splits at `--split` (that day is after); `--year` filters.
    Each row also gives its requests per month over the days it covers (reports.md)."""
    rows, totals = count_requests(parameters.by, parameters.split, parameters.year)
    per_month(rows, totals, parameters.by, "requests", request_span(parameters.year),
              parameters.split)
    return rows, totals


CONNECTIVITY_REQUESTS = Report(
    id="connectivity-requests",
    title=_("Requests for internet lines"),
    question=_("Did the number of requests change before and after the corona crisis (the 2020 "
               "lockdown)?"),
    dimensions=("period", "month", "year", "offer", "level", "province", "provider"),
    measures=(
        Measure("requests", _("requests")),
        Measure("requests_per_month", _("requests per month")),
    ),
    compute=compute,
    typical_by=("month", "offer"),
    uses=frozenset({"split", "year"}),
    source=FEEDS,
)
