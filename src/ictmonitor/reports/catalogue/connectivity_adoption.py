"""How many schools use each offer, per level and province? (seed 000, question 1)"""

from __future__ import annotations

from typing import Any

from ictmonitor.connectivity.selectors.reporting import count_lines
from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.shares import add_shares
from ictmonitor.reports.definitions import RATE, Measure, Parameters, Report, Rows

FEEDS = _("The internet providers' subscription feeds (Telenet, Proximus)")


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Distinct schools and active lines on `--at` (by month: at each month's end), their share
    of the open institutions, and the lines started and ended; the schools total is distinct,
    not summed."""
    rows, totals = count_lines(parameters.by, parameters.at)
    add_shares(rows, totals, parameters.by, parameters.at)
    return rows, totals


CONNECTIVITY_ADOPTION = Report(
    id="connectivity-adoption",
    title=_("Use of the connectivity offers"),
    question=_("How many schools use the internet-only and the managed offer, and what share "
               "of all schools is that, per level and per province?"),
    dimensions=("offer", "level", "special", "province", "network", "board", "provider",
                "month"),
    measures=(
        Measure("schools", _("schools"), stock=True),
        Measure("share", _("share of all schools"), kind=RATE, stock=True),
        Measure("lines", _("lines"), stock=True),
        Measure("lines_started", _("lines started")),
        Measure("lines_ended", _("lines ended")),
    ),
    compute=compute,
    typical_by=("offer", "level", "province"),
    source=FEEDS,
)
