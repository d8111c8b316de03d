"""Three schools for the incident log's tests: two of one board in Antwerpen (a basisschool and
a secundaire school), one of another board in Limburg; a client per role for the first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from ictmonitor.incidents.models import Incident
from ictmonitor.incidents.services import IncidentInput, record_incident
from ictmonitor.registry.models import Board, Institution, Province

# 85.07.30-033.28 as core.national_numbers' own example: its check digits hold.
NATIONAL_NUMBER = "85.07.30-033.28"


def stamp() -> dict[str, Any]:
    """The Recorded columns every registry row needs."""
    now = timezone.now()
    return {"created_at": now, "updated_at": now, "changed_by": "tests"}


@pytest.fixture
def schools(db: None) -> SimpleNamespace:
    """`basis` and `secundair` (board BS1, Antwerpen), `elsewhere` (board BS2, Limburg)."""
    provinces = {code: Province.objects.get_or_create(
        code=code, defaults={"name_nl": code.title(), "name_en": code.title(), "country": "BE"})[0]
        for code in ("antwerpen", "limburg")}
    boards = {code: Board.objects.create(code=code, name=f"Board {code}", **stamp())
              for code in ("BS1", "BS2")}

    def school(number: str, level: str, board: str, province: str) -> Institution:
        return Institution.objects.create(number=number, name=f"School {number}", country="BE",
                                          level=level, board=boards[board],
                                          province=provinces[province], **stamp())

    return SimpleNamespace(basis=school("200001", "basis", "BS1", "antwerpen"),
                           secundair=school("200002", "secundair", "BS1", "antwerpen"),
                           elsewhere=school("200003", "basis", "BS2", "limburg"),
                           boards=boards)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The tests read the English texts (test_dutch.py the Dutch ones)."""
    with translation.override("en"):
        yield


@pytest.fixture
def clients(client_for: Callable[..., Client], schools: SimpleNamespace) -> dict[str, Client]:
    """A client per role, in English; the coordinator and the board belong to `basis`."""
    made = {
        "coordinator": client_for("coordinator", institutions=[schools.basis]),
        "board": client_for("board", boards=[schools.boards["BS1"]]),
        "other-coordinator": client_for("coordinator", institutions=[schools.elsewhere]),
        "analyst": client_for("analyst"),
        "admin": client_for("admin"),
        "provider": client_for("provider"),
    }
    for client in made.values():
        client.cookies["django_language"] = "en"
    return made


def given(**changes: Any) -> IncidentInput:
    """A phishing incident of 2 March 2026, told to the board; changed as asked."""
    values: dict[str, Any] = {
        "occurred_on": date(2026, 3, 2), "kind": "phishing", "severity": "low",
        "told": ["board"], "actions": "Mail blocked, staff warned.", "lessons": ""}
    values.update(changes)
    return IncidentInput(**values)


def moment(day: date) -> datetime:
    """Ten in the morning in Brussels."""
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def record() -> Callable[..., Incident]:
    """record(school, recorded_on=date, **fields) -> an incident recorded on that day."""
    def make(school: Institution, recorded_on: date = date(2026, 3, 5),
             **changes: Any) -> Incident:
        return record_incident(school, given(**changes), by="tests", now=moment(recorded_on))

    return make
