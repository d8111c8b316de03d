"""Which modules are chosen most? (seed 000, question 2)"""

from __future__ import annotations

from typing import Any

from ictmonitor.connectivity.reporting import count_module_lines
from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.connectivity_adoption import FEEDS
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Schools and active lines per module; totals count each with any module once."""
    return count_module_lines(parameters.by, parameters.at)


MODULE_ADOPTION = Report(
    id="module-adoption",
    title=_("Modules chosen"),
    question=_("Which SchoolNet+ modules are chosen most often (security, Wi-Fi, backup line, "
               "VPN)?"),
    dimensions=("module", "level", "province", "provider", "offer"),
    measures=(
        Measure("schools", _("schools"), stock=True),
        Measure("lines", _("lines"), stock=True),
    ),
    compute=compute,
    typical_by=("module",),
    source=FEEDS,
)
