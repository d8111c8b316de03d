"""The framework's texts and an assessment's figures in one language, ready for templates."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from ictmonitor.assessment import factsheets, framework, module_advice, selectors
from ictmonitor.assessment.framework import Framework, Question
from ictmonitor.assessment.models import Action, Answer, Assessment
from ictmonitor.connectivity.selectors import modules_by_code
from ictmonitor.core.translation import known_language as chosen
from ictmonitor.core.translation import language

__all__ = ["chosen", "language"]  # the views name them through this module


@functools.cache
def factsheet(code: str, lang: str) -> factsheets.FactSheet:
    """A fact sheet, read once."""
    return factsheets.load(code, lang)


def factsheet_links(codes: Iterable[str], lang: str) -> list[dict[str, str]]:
    """Code, title and summary of each fact sheet named."""
    return [{"code": c, "title": factsheet(c, lang).title, "summary": factsheet(c, lang).summary}
            for c in codes]


def modules(codes: Iterable[str], lang: str) -> list[dict[str, str]]:
    """Each connectivity module named: its name, what it does, the risk it covers."""
    wanted = list(codes)
    if not wanted:
        return []
    found = modules_by_code(wanted)
    suffix = "en" if lang == "en" else "nl"
    return [{"code": c, "name": getattr(found[c], f"name_{suffix}"),
             "does": getattr(found[c], f"does_{suffix}"),
             "risk": getattr(found[c], f"risk_{suffix}")} for c in wanted if c in found]


def level_labels(fw: Framework, lang: str) -> dict[int, str]:
    """Level → its short label (Not in place, Started, In place, Embedded and reviewed)."""
    return {level.value: level.label.get(lang) for level in fw.levels}


def question_texts(framework_id: str, lang: str) -> dict[str, str]:
    """Every question's text by code over all versions, the newest text winning: an older
    assessment names questions a later version split or removed."""
    return {q.code: q.text.get(lang) for version in framework.load_all()
            if version.id == framework_id for q in version.questions}


def mark_labels() -> dict[int | str, str]:
    """The answers besides the levels, by mark: "don't know", "not applicable"."""
    return {Answer.Mark.DONT_KNOW.value: str(Answer.Mark.DONT_KNOW.label),
            Answer.Mark.NOT_APPLICABLE.value: str(Answer.Mark.NOT_APPLICABLE.label)}


def area_titles(fw: Framework, lang: str) -> dict[str, str]:
    """Area code → title."""
    return {area.code: area.title.get(lang) for area in fw.areas}


def question(q: Question, lang: str, level: int | str | None = None) -> dict[str, Any]:
    """A question with its answers, help, why, guidance, fact sheets and modules; `level` is
    the answer chosen (0–3, "dont-know", "not-applicable" or None)."""
    return {
        "code": q.code, "text": q.text.get(lang), "help": q.help.get(lang),
        "why": q.why.get(lang), "critical": q.critical, "since": q.since, "level": level,
        "guidance": q.guidance.get(lang) if q.guidance else "",
        "not_applicable": q.not_applicable.get(lang) if q.not_applicable else "",
        "controls": q.controls, "kind": q.kind,
        "answers": [{"level": a.level, "text": a.text.get(lang), "action": a.action.get(lang)}
                    for a in q.answers],
        "factsheets": factsheet_links(q.factsheets, lang),
        "modules": q.modules,
    }


def plan_rows(assessment: Assessment, lang: str,
              actions: Iterable[Action] | None = None) -> list[dict[str, Any]]:
    """Each action of a plan with its question, why, how, fact sheets and modules."""
    fw = selectors.framework_of(assessment)
    labels, titles = level_labels(fw, lang), area_titles(fw, lang)
    found = list(actions if actions is not None else assessment.actions.all())
    unknown = selectors.dont_know_of(assessment)
    current = selectors.current_framework()
    situation = module_advice.line_situation(assessment.institution_id)
    advised = {a.question: module_advice.helpful_modules(fw.question(a.question), current,
                                                         situation) for a in found}
    catalogue = {m["code"]: m for m in modules({c for codes in advised.values()
                                                for c in codes}, lang)}
    rows = []
    for action in found:
        q = fw.question(action.question)
        rows.append({
            "action": action, "question": q.text.get(lang), "area": titles[q.area],
            "level": labels[action.level], "why": q.why.get(lang),
            "how": q.answer(action.level).action.get(lang), "critical": q.critical,
            "dont_know": action.question in unknown,
            "guidance": q.guidance.get(lang) if q.guidance else "",
            "factsheets": factsheet_links(q.factsheets, lang),
            "modules": [catalogue[c] for c in advised[action.question] if c in catalogue],
            "managed_first": situation.internet_only and bool(advised[action.question]),
        })
    return rows


def plan_progress(actions: Iterable[Action]) -> dict[str, int]:
    """How many actions are to do, in progress and done (as ticked), the share ticked done in
    percent, the focus actions and those ticked done; and, once the next assessment is in,
    how many it showed reached (progress is what was done, not what was ticked)."""
    counts = {status: 0 for status in Action.Status.values}
    focus = focus_done = reached = told = 0
    for action in actions:
        counts[action.status] += 1
        focus += action.focus
        focus_done += action.focus and action.status == Action.Status.DONE
        reached += action.reached is True
        told += action.reached is not None
    total = sum(counts.values())
    return {**counts, "total": total,
            "percent": round(100 * counts["done"] / total) if total else 0,
            "focus": focus, "focus_done": focus_done, "reached": reached, "told": told}


def score_rows(assessment: Assessment, comparisons: list[selectors.Comparison],
               lang: str) -> list[dict[str, Any]]:
    """Per area and overall: the school's score and each comparison group's mean (or None)."""
    fw = selectors.framework_of(assessment)
    mine = dict(assessment.area_scores.values_list("area", "score"))
    rows = [{"code": a.code, "title": a.title.get(lang), "score": mine.get(a.code),
             "groups": [c.areas.get(a.code) if c.shown else None for c in comparisons]}
            for a in fw.areas]
    rows.append({"code": "overall", "title": None, "score": assessment.overall_score,
                 "groups": [c.overall if c.shown else None for c in comparisons]})
    return rows
