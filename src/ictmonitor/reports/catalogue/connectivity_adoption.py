"""How many schools use each offer, per level and province? (seed 000, question 1)"""

from __future__ import annotations

from typing import Any

from ictmonitor.connectivity.reporting import count_lines
from ictmonitor.core.translation import message as _
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows

FEEDS = _("The internet providers' subscription feeds (Telenet, Proximus)")


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Distinct schools and active lines on `--at`; the schools total is distinct, not summed."""
    return count_lines(parameters.by, parameters.at)


CONNECTIVITY_ADOPTION = Report(
    id="connectivity-adoption",
    title=_("Use of the connectivity offers"),
    question=_("How many schools use SchoolNet (Internet Only) and SchoolNet+ (managed), per "
               "level and per province?"),
    dimensions=("offer", "level", "special", "province", "network", "board", "provider"),
    measures=(
        Measure("schools", _("schools"), stock=True),
        Measure("lines", _("lines"), stock=True),
    ),
    compute=compute,
    typical_by=("offer", "level", "province"),
    source=FEEDS,
)
