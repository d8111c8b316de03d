"""Which online-safety incidents do schools handle, and how? (seed 001, q1)"""

from __future__ import annotations

from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.incidents.selectors import count_incidents, kind_names
from ictmonitor.registry.selectors import NamedRows
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Incidents recorded by `--at`, counted in the database; every incident is in one row.
    The kinds' display names come with the rows (the incident log's own choices)."""
    rows, totals = count_incidents(parameters.by, parameters.at)
    named = NamedRows(rows)
    if "kind" in parameters.by:
        named.names["kind"] = kind_names(parameters.language)
    return named, totals


INCIDENTS = Report(
    id="incidents",
    title=_("Online-safety incidents"),
    question=_("Which online-safety incidents do schools handle, and how?"),
    dimensions=("kind", "month", "year", "level", "province"),
    measures=(Measure("incidents", _("incidents"), sensitive=True),),
    compute=compute,
    typical_by=("kind",),
    # Every dimension splits the incidents (a month lies in one year): the plan may sum over
    # all of them, the province first.
    protect_order=("province", "level", "month", "year", "kind"),
    source=_("The schools' incident logs"),
)
