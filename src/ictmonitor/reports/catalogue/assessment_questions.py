"""Where exactly do schools stand, question by question? (seed 004, q2; seed 001, q1)"""

from __future__ import annotations

from typing import Any

from ictmonitor.assessment.selectors import question_levels, question_titles
from ictmonitor.core.translation import message as _
from ictmonitor.registry.selectors import NamedRows
from ictmonitor.reports.catalogue.participation import participation_and_versions
from ictmonitor.reports.definitions import RATE, Measure, Parameters, Report, Rows


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """The answers of each institution's latest assessment by `--at`: the share of answers at
    each level, "don't know" and "not applicable", and the mean level. The questions' texts come
    with the rows (the framework's own, in the language asked for)."""
    rows, totals = question_levels(parameters.by, parameters.at)
    named = NamedRows(rows)
    if "question" in parameters.by:
        named.names["question"] = question_titles({row["question"] for row in rows},
                                                  parameters.language)
    return named, totals


ASSESSMENT_QUESTIONS = Report(
    id="assessment-questions",
    title=_("Self-assessment answers per question"),
    question=_("Where exactly do schools stand, question by question?"),
    dimensions=("question", "version", "province", "level", "special", "network", "board"),
    measures=(
        Measure("institutions", _("institutions")),
        Measure("share_level_0", _("share at level 0 (not in place)"), kind=RATE),
        Measure("share_level_1", _("share at level 1"), kind=RATE),
        Measure("share_level_2", _("share at level 2"), kind=RATE),
        Measure("share_level_3", _("share at level 3"), kind=RATE),
        Measure("share_dont_know", _("share \"don't know\""), kind=RATE),
        Measure("share_not_applicable", _("share \"not applicable\""), kind=RATE),
        Measure("mean_level", _("mean level (0-3)")),
    ),
    compute=compute,
    typical_by=("question",),
    source=_("Online-safety self-assessments (the latest submitted per institution)"),
    # A share over a handful of schools comes close to one school's own answers: for analysts.
    public=False,
    annotate=participation_and_versions,
)
