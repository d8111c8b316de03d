"""How many labels were awarded per year and region? (seed 004, question 1)"""

from __future__ import annotations

from typing import Any

from ictmonitor.assessment.selectors.reporting import count_awards
from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.label_holders import SOURCE
from ictmonitor.reports.catalogue.participation import participation
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Labels awarded on or before `--at` (in `--year` when given); revoked ones left out."""
    return count_awards(parameters.by, parameters.at, parameters.year)


LABEL_AWARDS = Report(
    id="label-awards",
    title=_("Labels awarded"),
    question=_("How many online-safety labels were awarded, per year and per province?"),
    dimensions=("year", "province", "level", "label_level", "special", "network", "board"),
    measures=(Measure("awards", _("labels")),),
    compute=compute,
    typical_by=("year",),
    uses=frozenset({"at", "year"}),
    source=SOURCE,
    annotate=participation,
)
