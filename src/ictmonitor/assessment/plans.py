"""The personal action plan a set of answers gives (pure): one action per question below level 3.

Order: critical questions at level 0 first, then by area weight × question weight × (3 − level),
largest first; ties keep the framework's order. A question answered "not applicable" gives no
action; one answered "don't know" gives the action of level 0, flagged `unknown`: the school
first finds out where it stands.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
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
    unknown: bool = False

    @property
    def answer(self) -> Answer:
        """The chosen answer, whose `action` says what to do next."""
        return self.question.answer(self.level)


def plan(fw: Framework, levels: Mapping[str, int | None],
         not_applicable: Collection[str] = (), unknown: Collection[str] = ()
         ) -> list[PlannedAction]:
    """The plan's actions in the order to tackle them."""
    weights = {area.code: area.weight for area in fw.areas}
    found = []
    for position, question in enumerate(fw.questions):
        if question.code in not_applicable:
            continue
        level = level_of(levels, question.code)
        if level >= MAX_LEVEL:
            continue
        priority = weights[question.area] * question.weight * (MAX_LEVEL - level)
        gap = question.critical and level == 0
        found.append((not gap, -priority, position,
                      PlannedAction(question, level, gap, priority,
                                    question.code in unknown)))
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]
