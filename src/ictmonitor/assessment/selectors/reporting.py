"""The grouped reads the label and assessment reports need, computed in the database.

A label's or an assessment's province, level, network and board are its institution's (the
province of its main location); an institution counts once per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Avg, Count
from django.db.models.functions import ExtractYear

from ictmonitor.assessment.models import AreaScore, Label
from ictmonitor.assessment.selectors import (
    FRAMEWORK_ID,
    current_labels,
    end_of,
    latest_assessments,
)
from ictmonitor.registry.selectors import INSTITUTION_PATHS, grouped

LABEL_PATHS = {**{dim: f"institution__{path}" for dim, path in INSTITUTION_PATHS.items()},
               "label_level": "level", "year": "award_year"}
ASSESSMENT_PATHS = {**{dim: f"institution__{path}" for dim, path in INSTITUTION_PATHS.items()},
                    "version": "version"}
AREA_PATHS = {**{dim: f"assessment__institution__{path}"
                 for dim, path in INSTITUTION_PATHS.items()},
              "area": "area", "version": "assessment__version"}
DECIMALS = 1


def _years(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Years as the stable text codes reports use (`2016`)."""
    for row in rows:
        if row.get("year") is not None:
            row["year"] = str(row["year"])
    return rows


def count_label_holders(by: Sequence[str], at: date) -> tuple[list[dict[str, Any]],
                                                             dict[str, Any]]:
    """Institutions holding a valid label on a day, by its latest valid label's level."""
    held = current_labels(at)
    measures = {"institutions": Count("institution", distinct=True)}
    rows = grouped(held, LABEL_PATHS, by, **measures)
    return rows, grouped(held, LABEL_PATHS, (), **measures)[0]


def count_awards(by: Sequence[str], at: date, year: int | None = None) -> tuple[
        list[dict[str, Any]], dict[str, Any]]:
    """Labels awarded (on or before a day; in one year when given), not revoked since."""
    awards = Label.objects.filter(awarded_on__lte=at, revoked_at__isnull=True)
    if year is not None:
        awards = awards.filter(awarded_on__year=year)
    if "year" in by:
        awards = awards.annotate(award_year=ExtractYear("awarded_on"))
    rows = _years(grouped(awards, LABEL_PATHS, by, awards=Count("pk")))
    return rows, {"awards": sum(row["awards"] for row in rows) if by else awards.count()}


def _rounded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        if row.get("mean_score") is not None:
            row["mean_score"] = round(row["mean_score"], DECIMALS)
    return rows


def area_scores(by: Sequence[str], at: date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Institutions and mean area scores from each latest assessment by a day (else overall)."""
    latest = latest_assessments(at).filter(framework=FRAMEWORK_ID,
                                           submitted_at__lt=end_of(at))
    overall = {"institutions": Count("institution", distinct=True),
               "mean_score": Avg("overall_score")}
    totals = _rounded([grouped(latest, ASSESSMENT_PATHS, (), **overall)[0]])[0]
    if "area" not in by:
        return _rounded(grouped(latest, ASSESSMENT_PATHS, by, **overall)), totals
    scores = AreaScore.objects.filter(assessment__in=latest.values("pk"))
    rows = grouped(scores, AREA_PATHS, by,
                   institutions=Count("assessment__institution", distinct=True),
                   mean_score=Avg("score"))
    return _rounded(rows), totals
