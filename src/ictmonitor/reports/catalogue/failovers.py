"""Does the backup line take over when the primary fails? (seed 000: "a backup line for a
guaranteed continuity")"""

from __future__ import annotations

from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.measurements.selectors import failover_figures
from ictmonitor.reports.catalogue.connectivity_quality import MEASURED
from ictmonitor.reports.definitions import Annotations, Measure, Parameters, Report, Rows

PERIOD = _("Period")
PERIOD_TEXT = _("The calendar year (--year, else that of the reference date) up to the reference "
                "date. A failover is a switch to the backup line; the next switch back to the "
                "primary line ends it, and one not ended yet counts up to the reference date. "
                "The lines are those with the backup-line module that were measured.")


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Lines with a backup line, their failovers, those with none, the median time on backup."""
    return failover_figures(parameters.by, parameters.at, parameters.year)


def annotate(parameters: Parameters) -> Annotations:
    """The period and what a failover is."""
    return Annotations(lines=[(PERIOD(parameters.language), PERIOD_TEXT(parameters.language))])


FAILOVERS = Report(
    id="failovers",
    title=_("Failovers to the backup line"),
    question=_("Does the backup line take over when the primary line fails?"),
    dimensions=("province", "provider", "month", "level", "offer", "school"),
    measures=(
        Measure("lines_with_backup", _("lines with a backup line"), stock=True),
        Measure("failovers", _("failovers")),
        Measure("lines_never_failed_over", _("lines never failed over"), stock=True),
        Measure("median_minutes_on_backup", _("median minutes on backup")),
    ),
    compute=compute,
    typical_by=("provider",),
    uses=frozenset({"at", "year"}),
    source=MEASURED,
    annotate=annotate,
)
