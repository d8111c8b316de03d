"""Which lines or devices have gone quiet? (issue 16: reporting status as Giga defines it)"""

from __future__ import annotations

from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.measurements.selectors import line_status
from ictmonitor.reports.catalogue.connectivity_quality import MEASURED
from ictmonitor.reports.definitions import Annotations, Measure, Parameters, Report, Rows

STATUS = _("Reporting status")
STATUS_TEXT = _("A location's status follows from its last measurement on the reference date: "
                "live under 21 days old, at-risk at 21 to 28 days, dropped after 28 days, never "
                "without any. The locations are those with a line active on that date or "
                "measured by then.")


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Locations per status and the last measurement, from the day rollups."""
    return line_status(parameters.by, parameters.at)


def annotate(parameters: Parameters) -> Annotations:
    """How a status is read."""
    return Annotations(lines=[(STATUS(parameters.language), STATUS_TEXT(parameters.language))])


LINE_STATUS = Report(
    id="line-status",
    title=_("Measuring devices gone quiet"),
    question=_("Which lines or devices have gone quiet?"),
    dimensions=("school", "province", "level", "network", "board"),
    measures=(
        Measure("locations", _("locations"), stock=True),
        Measure("live", _("live"), stock=True),
        Measure("at_risk", _("at risk"), stock=True),
        Measure("dropped", _("dropped"), stock=True),
        Measure("never", _("never measured"), stock=True),
        Measure("last_measured_at", _("last measured at")),
        Measure("status", _("status"), words=(
            ("live", _("live")), ("at-risk", _("at risk")), ("dropped", _("dropped")),
            ("never", _("never measured")))),
    ),
    compute=compute,
    typical_by=("school",),
    source=MEASURED,
    annotate=annotate,
)
