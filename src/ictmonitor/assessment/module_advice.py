"""Which connectivity modules a plan suggests for a question (issue 14, item 8).

A module *helps with* a technical question; it never closes a process gap (a restore test, a
phishing awareness session), so a process question suggests none, also on an older framework
version whose questions had no kind (the current version's kind of the same question counts).
A module the school already has on an active line is not suggested. Where the school's lines
are all internet-only, modules come only with the managed offer: the plan says so first.
"""

from __future__ import annotations

from dataclasses import dataclass

from ictmonitor.assessment.framework import Framework, Question
from ictmonitor.connectivity.selectors import school_line_modules

PROCESS = "process"
INTERNET_ONLY = "internet-only"


@dataclass(frozen=True)
class LineSituation:
    """A school's active lines: their offers and the modules they already have."""

    offers: frozenset[str]
    modules: frozenset[str]

    @property
    def internet_only(self) -> bool:
        """Every active line is internet-only: no module can be added without the managed
        offer."""
        return bool(self.offers) and self.offers == {INTERNET_ONLY}


def line_situation(institution_id: int) -> LineSituation:
    """The school's lines active today."""
    offers, modules = school_line_modules(institution_id)
    return LineSituation(frozenset(offers), frozenset(modules))


def is_process(question: Question, current: Framework) -> bool:
    """A process question (bought modules do not answer it), by its own kind or, on an older
    version without kinds, by the current version's kind of the same question."""
    if question.kind:
        return question.kind == PROCESS
    same = next((q for q in current.questions if q.code == question.code), None)
    return same is not None and same.kind == PROCESS


def helpful_modules(question: Question, current: Framework, situation: LineSituation
                    ) -> list[str]:
    """The module codes to suggest for a question: none for a process question, never one the
    school already has."""
    if is_process(question, current):
        return []
    return [code for code in question.modules if code not in situation.modules]
