"""Schools, lines, assessments, labels and measurements made straight in the database, for the
home pages' tests (the apps' own tests cover how each gets there)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from ictmonitor.assessment.models import Action, AreaScore, Assessment, Label
from ictmonitor.assessment.selectors import FRAMEWORK_ID, current_framework
from ictmonitor.connectivity.models import Module, Subscription
from ictmonitor.core.recording import stamp
from ictmonitor.measurements.models import DailyRollup
from ictmonitor.registry.models import Board, Institution, Location

NOW = timezone.now()


def recorded() -> dict[str, Any]:
    return stamp("test", NOW, created=True)


def board(code: str = "B1") -> Board:
    return Board.objects.create(code=code, name=f"Board {code}", **recorded())


def school(number: str, name: str, *, of: Board | None = None, level: str = "basis",
           ) -> Institution:
    found = Institution.objects.create(number=number, country="BE", name=name, level=level,
                                       board=of, **recorded())
    Location.objects.create(institution=found, number="1", name=name, is_main=True,
                            **recorded())
    return found


def bits(*codes: str) -> int:
    return sum(Module.objects.get(code=code).bit for code in codes)


def line(at: Institution, *modules: str, provider: str = "telenet", down: int = 300,
         up: int = 30, contract: str | None = None, started: date = date(2024, 1, 1),
         ) -> Subscription:
    return Subscription.objects.create(
        provider_id=provider, contract_id=contract or f"C-{at.number}-{down}",
        location=at.locations.get(), offer_id="managed", download_mbps=down, upload_mbps=up,
        modules=bits(*modules), started_on=started, **recorded())


def assessed(at: Institution, scores: dict[str, float], *, focus_open: int = 0,
             done: int = 0, days_ago: int = 30) -> Assessment:
    """A submitted assessment with these area scores and a plan: `done` actions done and
    `focus_open` focus actions open."""
    fw = current_framework()
    found = Assessment.objects.create(
        institution=at, cycle=1, framework=FRAMEWORK_ID, version=fw.version,
        status=Assessment.Status.SUBMITTED, submitted_at=NOW - timedelta(days=days_ago),
        overall_score=sum(scores.values()) / len(scores), **recorded())
    for area, score in scores.items():
        AreaScore.objects.create(assessment=found, area=area, score=score)
    questions = iter(fw.questions)
    for position in range(done + focus_open):
        question = next(questions)
        Action.objects.create(
            assessment=found, question=question.code, area=question.area, level=2,
            position=position, focus=position >= done,
            status=Action.Status.DONE if position < done else Action.Status.TODO, **recorded())
    return found


def labelled(at: Institution, level: str = "bronze", *, valid_for: int = 400,
             awarded: date | None = None) -> Label:
    today = timezone.localdate()
    return Label.objects.create(institution=at, level=level,
                                awarded_on=awarded or today - timedelta(days=100),
                                valid_until=today + timedelta(days=valid_for), **recorded())


def measured(of: Subscription, downloads: list[float], day: date | None = None) -> DailyRollup:
    """One day of school-hour speed tests on a line (10 or more: enough to judge it)."""
    day = day or timezone.localdate()
    at = timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))
    return DailyRollup.objects.create(
        location=of.location, line=of, day=day, speed_tests=len(downloads),
        speed_tests_school_hours=len(downloads), download_school_hours=sorted(downloads),
        upload_school_hours=[10.0] * len(downloads), first_measured_at=at, last_measured_at=at)
