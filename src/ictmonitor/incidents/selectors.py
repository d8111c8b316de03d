"""Reads of the incident log: a school's incidents, and the counts the incidents report gives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import translation

from ictmonitor.connectivity.selectors.reporting import DateText
from ictmonitor.incidents.models import Incident, Kind
from ictmonitor.registry.models import Institution
from ictmonitor.registry.selectors import grouped

# The report's dimensions: the incident's kind and month or year (of when it happened), and
# its school's level and province (of the institution, as every report takes them).
REPORT_PATHS = {"kind": "kind", "month": "incident_month", "year": "incident_year",
                "level": "institution__level", "province": "institution__province_id"}


def incidents_of(school: Institution) -> QuerySet[Incident]:
    """The school's incidents, the most recent first."""
    return Incident.objects.filter(institution=school).order_by("-occurred_on", "-id")


def incident_of(school: Institution, incident_id: int | None) -> Incident | None:
    """One incident of the school, or None (another school's is not found either)."""
    if incident_id is None:
        return None
    return Incident.objects.filter(institution=school, pk=incident_id).first()


def count_incidents(by: Sequence[str], at: date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Incidents recorded by `at` (so a release's count never changes afterwards), per kind,
    month or year (of when it happened), level or province."""
    found = Incident.objects.filter(recorded_on__lte=at)
    if "month" in by:
        found = found.annotate(incident_month=DateText("occurred_on", "month"))
    if "year" in by:
        found = found.annotate(incident_year=DateText("occurred_on", "year"))
    rows = grouped(found, REPORT_PATHS, by, incidents=Count("pk"))
    if not by:
        return [], {"incidents": rows[0]["incidents"] or 0}
    return rows, {"incidents": sum(row["incidents"] for row in rows)}


def kind_names(language: str) -> dict[str, str]:
    """Each incident kind's name by code, in Dutch or English (the incident log's choices)."""
    with translation.override(language):
        return {code: str(name) for code, name in Kind.choices}


@dataclass(frozen=True)
class Learned:
    """What a school's incident log says over a period: how many incidents of each kind (by
    name, most first) and the lessons drawn, oldest first (day, kind's name, lesson)."""

    kinds: list[tuple[str, int]]
    lessons: list[tuple[date, str, str]]

    @property
    def incidents(self) -> int:
        """The incidents of the period."""
        return sum(count for _name, count in self.kinds)


def learned_from(school: Institution, since: date, until: date, language: str) -> Learned:
    """The school's incidents that happened from `since` to `until` (both included), as the
    incident procedure takes them into its review: counts per kind and the lessons."""
    found = Incident.objects.filter(institution=school, occurred_on__gte=since,
                                    occurred_on__lte=until)
    names = kind_names(language)
    counts = (found.order_by().values_list("kind").annotate(n=Count("pk")))
    kinds = sorted(((names.get(kind, kind), n) for kind, n in counts),
                   key=lambda pair: (-pair[1], pair[0]))
    lessons = [(day, names.get(kind, kind), lesson.strip()) for day, kind, lesson in
               found.exclude(lessons="").order_by("occurred_on", "id")
               .values_list("occurred_on", "kind", "lessons") if lesson.strip()]
    return Learned(kinds, lessons)
