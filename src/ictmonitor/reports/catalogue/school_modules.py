"""Which modules does each school have? (seed 000, question 2)"""

from __future__ import annotations

from typing import Any

from ictmonitor.connectivity.selectors.reporting import school_summaries
from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.connectivity_adoption import FEEDS
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Per school: its active lines' download Mbps, offers and modules (`firewall|wifi`)."""
    return school_summaries(parameters.by, parameters.at)


# `offers` and `modules` hold text (codes joined with `|`): the reports have no text kind yet,
# so they are count-kind measures; download_mbps comes first, as the one the chart draws.
SCHOOL_MODULES = Report(
    id="school-modules",
    title=_("Offers and modules per school"),
    question=_("Which offers and modules has each school chosen?"),
    dimensions=("school", "level", "province"),
    measures=(
        Measure("download_mbps", _("download (Mbps)")),
        Measure("offers", _("offers")),
        Measure("modules", _("modules")),
    ),
    compute=compute,
    typical_by=("school",),
    source=FEEDS,
)
