"""How many pupils, per level and province?"""

from __future__ import annotations

from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.registry.selectors import (
    has_school_year,
    latest_school_year,
    school_years,
    sum_pupils,
)
from ictmonitor.reports.definitions import Measure, Parameters, Report, ReportError, Rows


def years_asked(parameters: Parameters) -> list[str] | None:
    """`--year 2024` → the school year 2024-2025; without it, the latest with counts, or every
    year (None) when the report is broken down by year."""
    if parameters.year is not None:
        wanted = f"{parameters.year}-{parameters.year + 1}"
        if not has_school_year(wanted):
            raise ReportError(f"no pupil counts for school year {wanted}; "
                              f"there are: {', '.join(school_years()) or 'none'}")
        return [wanted]
    if "year" in parameters.by:
        return None
    latest = latest_school_year()
    return [latest] if latest else []


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Pupils summed per breakdown, for the school year(s) asked; every pupil is in one row."""
    rows = sum_pupils(parameters.by, years_asked(parameters))
    return rows, {"pupils": sum(row["pupils"] or 0 for row in rows)}


PUPILS = Report(
    id="pupils",
    title=_("Pupils"),
    question=_("How many pupils are there, per level and province?"),
    dimensions=("level", "special", "province", "network", "board", "school", "year"),
    measures=(Measure("pupils", _("pupils"), sensitive=True, stock=True),),
    compute=compute,
    typical_by=("level", "province"),
    uses=frozenset({"year"}),
    protect_order=("school", "board", "network", "special", "province", "level"),
    source=_("Pupil counts per location"),
)
