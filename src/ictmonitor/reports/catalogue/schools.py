"""How many institutions and locations are there, per level, province, network?"""

from __future__ import annotations

from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.registry.selectors import count_institutions, count_locations
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows
from ictmonitor.reports.merge import merge_rows


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Institutions by their own attributes (province: their main location's); locations by
    their institution's attributes and their own province. Each is in exactly one row, so the
    totals are the rows' sums."""
    by, at = parameters.by, parameters.at
    rows = merge_rows(by, count_institutions(by, at), count_locations(by, at))
    totals = {m: sum(row[m] or 0 for row in rows) for m in ("institutions", "locations")}
    return rows, totals


SCHOOLS = Report(
    id="schools",
    title=_("Institutions and locations"),
    question=_("How many institutions and locations are there, per level, province and network?"),
    dimensions=("level", "special", "province", "network", "board"),
    measures=(
        Measure("institutions", _("institutions"), stock=True),
        Measure("locations", _("locations"), stock=True),
    ),
    compute=compute,
    typical_by=("level", "province"),
    source=_("List of school locations, Flemish Department of Education and Training"),
)
