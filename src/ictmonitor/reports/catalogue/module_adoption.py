"""Which modules are chosen most? (seed 000, question 2)"""

from __future__ import annotations

from typing import Any

from ictmonitor.connectivity.selectors.reporting import count_module_lines
from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.connectivity_adoption import FEEDS
from ictmonitor.reports.catalogue.shares import add_shares
from ictmonitor.reports.definitions import RATE, Measure, Parameters, Report, Rows


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Schools and active lines per module, and the schools' share of the open institutions;
    totals count each with any module once."""
    rows, totals = count_module_lines(parameters.by, parameters.at)
    add_shares(rows, totals, parameters.by, parameters.at)
    return rows, totals


MODULE_ADOPTION = Report(
    id="module-adoption",
    title=_("Modules chosen"),
    question=_("Which modules of the managed offer are chosen most often (security, Wi-Fi, "
               "backup line, VPN)?"),
    dimensions=("module", "level", "province", "provider", "offer"),
    measures=(
        Measure("schools", _("schools"), stock=True),
        Measure("share", _("share of all schools"), kind=RATE, stock=True),
        Measure("lines", _("lines"), stock=True),
    ),
    compute=compute,
    typical_by=("module",),
    source=FEEDS,
)
