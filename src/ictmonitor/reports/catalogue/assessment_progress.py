"""Do schools improve from one assessment to the next, and do they renew their label?
(seed 004, q3)"""

from __future__ import annotations

from typing import Any

from ictmonitor.assessment.selectors import assessment_progress
from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.participation import participation_and_versions
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows
from ictmonitor.reports.merge import merge_rows


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Each institution's latest assessment by `--at` (its latest of each year with `year`)
    against the one before it: the mean change of the score (per area with `area`); and the
    labels whose validity ended by then, renewed or lapsed (by the year they ended; not split
    by area: an area row leaves them empty)."""
    groups, totals = assessment_progress(parameters.by, parameters.at)
    rows = merge_rows(parameters.by, *groups)
    for row in rows:
        row.setdefault("institutions", 0)
        row.setdefault("mean_change", None)
        if "area" in parameters.by:
            row.update(renewed=None, lapsed=None)
        else:
            row.setdefault("renewed", 0)
            row.setdefault("lapsed", 0)
            if not row["institutions"]:
                row["mean_change"] = None
    return rows, totals


ASSESSMENT_PROGRESS = Report(
    id="assessment-progress",
    title=_("Progress between self-assessments, and label renewals"),
    question=_("Do schools improve from one assessment to the next, and do they renew their "
               "label?"),
    dimensions=("area", "year", "province", "level", "special", "network", "board"),
    measures=(
        # Per year: that year's schools and their mean change, not added across years.
        Measure("institutions", _("institutions assessed twice"), stock=True),
        Measure("mean_change", _("mean change of the score (points)"), stock=True),
        Measure("renewed", _("labels renewed in time")),
        Measure("lapsed", _("labels lapsed")),
    ),
    compute=compute,
    typical_by=("area",),
    source=_("Online-safety self-assessments and labels"),
    # A mean change over a handful of schools comes close to one school's own: for analysts.
    public=False,
    annotate=participation_and_versions,
)
