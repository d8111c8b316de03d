"""The personal action plan a set of answers gives (pure): one action per question below level 3.

Order: critical questions at level 0 first, then by area weight × question weight × (3 − level),
largest first; ties keep the framework's order. A question answered "not applicable" gives no
action; one answered "don't know" gives the action of level 0, flagged `unknown`: the school
first finds out where it stands.

Focus: the plan proposes FOCUS_MIN to FOCUS_MAX actions for the next cycle, the critical
questions' first, then in plan order; the rest is the backlog. Progress is what was done: an
action is done when the next assessment shows the level it aims at (`reached`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ictmonitor.assessment.framework import (
    NOT_APPLICABLE,
    Answer,
    Framework,
    MoveTarget,
    Question,
    version_key,
)
from ictmonitor.assessment.scoring import MAX_LEVEL, level_of

FOCUS_MIN, FOCUS_MAX = 5, 10


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


def focus(actions: list[PlannedAction]) -> set[str]:
    """The question codes of the focus actions: as many as there are critical ones, at least
    FOCUS_MIN and at most FOCUS_MAX (fewer when the plan is shorter); critical first, then
    in plan order."""
    ordered = ([a for a in actions if a.question.critical]
               + [a for a in actions if not a.question.critical])
    critical = sum(1 for a in actions if a.question.critical)
    size = min(len(ordered), FOCUS_MAX, max(FOCUS_MIN, critical))
    return {a.question.code for a in ordered[:size]}


def routes(old: Framework, new: Framework, code: str) -> tuple[MoveTarget, ...]:
    """Where a question of `old` is in `new`: itself within a major version, the declared
    migration's targets across one (none when it was removed)."""
    if version_key(old.version)[0] == version_key(new.version)[0] or new.migration is None:
        return (MoveTarget(code),) if code in {q.code for q in new.questions} else ()
    move = new.migration.move(code)
    return move.targets if move is not None else ()


def reached(old: Framework, new: Framework, code: str, level: int,
            answers: Mapping[str, int | str]) -> bool | None:
    """Whether the answers on `new` show an action of `old` (on `code`, at `level`) done: the
    next level reached on every question it moved to. None when that cannot be told: the
    question was removed, or every question it moved to is "not applicable" or has a level
    map that gives the next level the same level as this one (the migrated answer alone would
    show it reached)."""
    wanted = min(level + 1, MAX_LEVEL)
    found = []
    for target in routes(old, new, code):
        value = answers.get(target.question)
        if value == NOT_APPLICABLE or target.levels[wanted] <= target.levels[level]:
            continue
        now = value if isinstance(value, int) else 0  # unanswered or "don't know": level 0
        found.append(now >= target.levels[wanted])
    return all(found) if found else None
