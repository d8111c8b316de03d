"""How many pupils, per level and province?"""

from __future__ import annotations

from typing import Any

from ictmonitor.registry.selectors import school_years, sum_pupils
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows, Text
from ictmonitor.reports.engine import ReportError


def years_asked(parameters: Parameters) -> list[str]:
    """`--year 2024` → the school year 2024-2025; without it, the latest with counts (or all
    of them when the report is broken down by year)."""
    known = school_years()
    if parameters.year is not None:
        wanted = f"{parameters.year}-{parameters.year + 1}"
        if wanted not in known:
            raise ReportError(f"no pupil counts for school year {wanted}; "
                              f"there are: {', '.join(known) or 'none'}")
        return [wanted]
    if "year" in parameters.by:
        return known
    return known[-1:]


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Pupils summed per breakdown, for the school year(s) asked."""
    years = years_asked(parameters)
    rows = sum_pupils(parameters.by, years)
    total = sum_pupils((), years)
    return rows, {"pupils": (total[0]["pupils"] or 0) if total else 0}


PUPILS = Report(
    id="pupils",
    title=Text("Leerlingen", "Pupils"),
    question=Text("Hoeveel leerlingen zijn er, per onderwijsniveau en provincie?",
                  "How many pupils are there, per level and province?"),
    dimensions=("level", "special", "province", "network", "board", "school", "year"),
    measures=(Measure("pupils", Text("leerlingen", "pupils"), sensitive=True),),
    compute=compute,
    typical_by=("level", "province"),
    uses=frozenset({"year"}),
    source=Text("Leerlingentellingen per vestigingsplaats", "Pupil counts per location"),
)
