"""What the assessment tests share: schools imported from a school list, frameworks, answers.

Plain helpers (not fixtures), imported by the test modules; this module holds no tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ictmonitor.assessment import framework, services
from ictmonitor.assessment.framework import Framework
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution
from tests.registry.flemish_rows import row, write

FRAMEWORK = "ictmonitor-online-safety"
BRUSSELS = ZoneInfo("Europe/Brussels")
# Province → (REFNIS, postcode, provinciecode, provincie, gemeente)
PLACES = {
    "antwerpen": ("11002", "2000", "1", "Antwerpen", "Antwerpen"),
    "vlaams-brabant": ("24062", "3000", "V", "Vlaams-Brabant", "Leuven"),
    "west-vlaanderen": ("31005", "8000", "3", "West-Vlaanderen", "Brugge"),
    "oost-vlaanderen": ("44021", "9000", "4", "Oost-Vlaanderen", "Gent"),
    "limburg": ("71022", "3500", "7", "Limburg", "Hasselt"),
}
LEVELS = {"basis": ("BaO", "Basisschool"),
          "secundair": ("SO", "School voor voltijds gewoon secundair onderwijs")}


def moment(text: str) -> datetime:
    """`2025-03-01` or `2025-03-01 10:00` as an aware moment in Brussels."""
    day = datetime.fromisoformat(text)
    return day.replace(tzinfo=BRUSSELS) if day.tzinfo is None else day


def school_row(number: str, province: str = "antwerpen", level: str = "basis") -> dict[str, str]:
    """A school-list row for an invented school in a province, at a level."""
    nis, postcode, code, name, place = PLACES[province]
    niveau, kind = LEVELS[level]
    return row(schoolnummer=number, naam=f"Testschool {number}", niscode=nis, postcode=postcode,
               provinciecode=code, provincie=name, gemeente=place, onderwijsniveau=niveau,
               instellingstype=kind, adres=f"Schoolstraat 1, {postcode} {place}")


def import_schools(folder: Path, specs: Iterable[tuple[str, str, str]]) -> dict[str, Institution]:
    """Import (number, province, level) schools through the school-list importer."""
    path = write(folder / "schools.csv", [school_row(*spec) for spec in specs])
    import_school_list(path, actor="test")
    return {i.number: i for i in Institution.objects.all()}


def current() -> Framework:
    """The latest version of the shipped framework."""
    return framework.get(FRAMEWORK)


def version(number: str) -> Framework:
    """A given version of the shipped framework."""
    return framework.get(FRAMEWORK, number)


def every(fw: Framework, level: int, **overrides: int | None) -> dict[str, int | None]:
    """Every question of a framework at one level; `infra_mfa=0` overrides one (- as _)."""
    levels: dict[str, int | None] = {q.code: level for q in fw.questions}
    for name, value in overrides.items():
        levels[name.replace("_", "-")] = value
    return levels


def answered(school: Institution, user: Any, levels: dict[str, int | None], *,
             when: str | None = None, fw: Framework | None = None) -> Any:
    """Start (or resume) the school's assessment and save these answers."""
    now = moment(when) if when else None
    assessment = services.start_assessment(school, by=user, now=now, framework=fw)
    services.save_answers(assessment, levels, by=user, now=now)
    return assessment


def submitted(school: Institution, user: Any, levels: dict[str, int | None], *,
              when: str | None = None, fw: Framework | None = None) -> services.Outcome:
    """Answer and submit an assessment (unanswered questions confirmed as level 0)."""
    assessment = answered(school, user, levels, when=when, fw=fw)
    return services.submit_assessment(assessment, by=user, confirm_unanswered=True,
                                       now=moment(when) if when else None)
