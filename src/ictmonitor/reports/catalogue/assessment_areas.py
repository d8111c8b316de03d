"""Where do schools stand on the three areas? (seed 004, question 2; seed 001, question 1)"""

from __future__ import annotations

from typing import Any

from ictmonitor.assessment.selectors.reporting import area_scores
from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.participation import participation_and_versions
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Mean area scores (0–100) of each latest assessment by `--at`; totals: mean overall."""
    return area_scores(parameters.by, parameters.at)


ASSESSMENT_AREAS = Report(
    id="assessment-areas",
    title=_("Self-assessment scores per area"),
    question=_("Where do schools stand on the three areas of online safety: ICT infrastructure, "
               "ICT policy and educational practice?"),
    dimensions=("area", "version", "province", "level", "special", "network", "board"),
    measures=(
        Measure("institutions", _("institutions")),
        Measure("mean_score", _("mean score (0-100)")),
    ),
    compute=compute,
    typical_by=("area",),
    source=_("Online-safety self-assessments (the latest submitted per institution)"),
    # A mean over a handful of schools comes close to one school's own answers: for analysts.
    public=False,
    annotate=participation_and_versions,
)
