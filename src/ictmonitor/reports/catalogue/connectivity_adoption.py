"""How many schools use each offer, per level and province? (seed 000, question 1)"""

from __future__ import annotations

from typing import Any

from ictmonitor.connectivity.reporting import count_lines
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows, Text

FEEDS = Text("Abonnementsbestanden van de internetproviders (Telenet, Proximus)",
             "The internet providers' subscription feeds (Telenet, Proximus)")


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Distinct schools and active lines on `--at`; the schools total is distinct, not summed."""
    return count_lines(parameters.by, parameters.at)


CONNECTIVITY_ADOPTION = Report(
    id="connectivity-adoption",
    title=Text("Gebruik van het internetaanbod", "Use of the connectivity offers"),
    question=Text(
        "Hoeveel scholen maken gebruik van SchoolNet (Internet Only) en SchoolNet+ (beheerd), "
        "per onderwijsniveau en per provincie?",
        "How many schools use SchoolNet (Internet Only) and SchoolNet+ (managed), per level "
        "and per province?",
    ),
    dimensions=("offer", "level", "special", "province", "network", "board", "provider"),
    measures=(
        Measure("schools", Text("scholen", "schools"), stock=True),
        Measure("lines", Text("lijnen", "lines"), stock=True),
    ),
    compute=compute,
    typical_by=("offer", "level", "province"),
    source=FEEDS,
)
