"""The personal action plan a set of answers gives (pure): one action per question below level 3.

Order: critical questions at level 0 first, then by area weight × question weight × (3 − level),
largest first; ties keep the framework's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ictmonitor.assessment.framework import Answer, Framework, Question
from ictmonitor.assessment.scoring import MAX_LEVEL, level_of


@dataclass(frozen=True)
class PlannedAction:
    """One action of a plan: the question, the level chosen, and why it sits where it does."""

    question: Question
    level: int
    critical_gap: bool
    priority: int

    @property
    def answer(self) -> Answer:
        """The chosen answer, whose `action` says what to do next."""
        return self.question.answer(self.level)


def plan(fw: Framework, levels: Mapping[str, int | None]) -> list[PlannedAction]:
    """The plan's actions in the order to tackle them."""
    weights = {area.code: area.weight for area in fw.areas}
    found = []
    for position, question in enumerate(fw.questions):
        level = level_of(levels, question.code)
        if level >= MAX_LEVEL:
            continue
        priority = weights[question.area] * question.weight * (MAX_LEVEL - level)
        gap = question.critical and level == 0
        found.append((not gap, -priority, position,
                      PlannedAction(question, level, gap, priority)))
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]
