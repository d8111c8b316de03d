"""Scores and the label a set of answers earns, as docs/frameworks.md defines them (pure).

Levels are a mapping question code → 0–3; a question without an answer counts as level 0, and
so does "don't know" (stored at level 0). Questions answered "not applicable" (`not_applicable`,
a set of codes) are left out: of their area's mean, of the critical gaps and of the plan; an
area with every question not applicable is left out of the overall score.
Scores are computed as exact fractions and compared with the thresholds unrounded (a school at
exactly 40 meets "at least 40"; floating-point thirds would not); round for display only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from ictmonitor.assessment.framework import Framework, LabelRule

MAX_LEVEL = 3
DONT_KNOW = "dont-know"
NOT_APPLICABLE = "not-applicable"
# Review states of an answer's evidence (models.Evidence.Review), as the label rules take them.
PENDING, ACCEPTED, RETURNED = "pending", "accepted", "returned"


@dataclass(frozen=True)
class Scores:
    """Area scores (0–100, by area code, in framework order) and the overall score, exact."""

    exact_areas: dict[str, Fraction]
    exact_overall: Fraction

    @property
    def areas(self) -> dict[str, float]:
        """The area scores as floats, to store and show."""
        return {code: float(value) for code, value in self.exact_areas.items()}

    @property
    def overall(self) -> float:
        """The overall score as a float, to store and show."""
        return float(self.exact_overall)


@dataclass(frozen=True)
class RuleCheck:
    """Whether one label rule holds, and which of its conditions fail (codes, for display)."""

    rule: LabelRule
    failed: tuple[str, ...] = field(default=())

    @property
    def met(self) -> bool:
        """Every condition of the rule holds."""
        return not self.failed


def level_of(levels: Mapping[str, int | None], code: str) -> int:
    """The level chosen for a question; unanswered is 0."""
    value = levels.get(code)
    return int(value) if value is not None else 0


def exact(value: float | int | Fraction) -> Fraction:
    """A threshold or share as an exact fraction (0.8 → 4/5, not its binary neighbour)."""
    if isinstance(value, float):
        return Fraction(value).limit_denominator(1_000_000)
    return Fraction(value)


def score(fw: Framework, levels: Mapping[str, int | None],
          not_applicable: Collection[str] = ()) -> Scores:
    """Area scores as weighted means of level / 3, and the area-weighted overall score."""
    areas: dict[str, Fraction] = {}
    for area in fw.areas:
        counted = [q for q in area.questions if q.code not in not_applicable]
        if not counted:
            continue
        weights = sum(q.weight for q in counted)
        points = sum(q.weight * level_of(levels, q.code) for q in counted)
        areas[area.code] = Fraction(100 * points, MAX_LEVEL * weights)
    total = sum(a.weight for a in fw.areas if a.code in areas)
    overall = (sum((a.weight * areas[a.code] for a in fw.areas if a.code in areas),
                   Fraction(0)) / total if total else Fraction(0))
    return Scores(areas, overall)


def critical_gaps(fw: Framework, levels: Mapping[str, int | None],
                  not_applicable: Collection[str] = ()) -> list[str]:
    """The critical questions at level 0 (unanswered and "don't know" included), in framework
    order; a critical question answered "not applicable" is no gap."""
    return [q.code for q in fw.questions if q.critical and level_of(levels, q.code) == 0
            and q.code not in not_applicable]


def below_critical_level(fw: Framework, levels: Mapping[str, int | None], minimum: int,
                         not_applicable: Collection[str] = ()) -> list[str]:
    """The critical questions below a level ("don't know" and unanswered are level 0)."""
    return [q.code for q in fw.questions if q.critical and q.code not in not_applicable
            and level_of(levels, q.code) < minimum]


def check_rule(rule: LabelRule, scores: Scores, gaps: list[str],
               actions_done: float | Fraction, *, below: Collection[str] = (),
               critical: Collection[str] = (), evidence: Mapping[str, str] | None = None
               ) -> RuleCheck:
    """Which conditions of one label rule fail: area, overall, critical, actions, evidence,
    review. `below`: the critical questions under the rule's `min_critical_level`;
    `critical`: every critical question that counts; `evidence`: the review state
    (pending, accepted, returned) of each question with complete evidence (a text plus a
    document or a link); evidence sent back counts as none. Failing only on `review` means
    the label awaits a reviewer."""
    failed = []
    if any(value < exact(rule.min_area_score) for value in scores.exact_areas.values()):
        failed.append("area")
    if scores.exact_overall < exact(rule.min_overall_score):
        failed.append("overall")
    if (not rule.allow_critical_gaps and gaps) or below:
        failed.append("critical")
    if exact(actions_done) < exact(rule.min_actions_done):
        failed.append("actions")
    evidence = evidence or {}
    if rule.evidence_on_critical and any(evidence.get(code, RETURNED) == RETURNED
                                         for code in critical):
        failed.append("evidence")  # none, or sent back: the school adds to it first
    if rule.review and any(evidence.get(code) == PENDING for code in critical):
        failed.append("review")
    return RuleCheck(rule, tuple(failed))


def check_labels(fw: Framework, levels: Mapping[str, int | None],
                 actions_done: float | Fraction,
                 not_applicable: Collection[str] = (),
                 evidence: Mapping[str, str] | None = None) -> list[RuleCheck]:
    """Every label rule checked, bronze first (`evidence` as check_rule takes it)."""
    scores = score(fw, levels, not_applicable)
    gaps = critical_gaps(fw, levels, not_applicable)
    critical = [q.code for q in fw.questions if q.critical and q.code not in not_applicable]
    return [check_rule(rule, scores, gaps, actions_done,
                       below=below_critical_level(fw, levels, rule.min_critical_level,
                                                  not_applicable),
                       critical=critical, evidence=evidence) for rule in fw.labels]


def earned_label(fw: Framework, levels: Mapping[str, int | None],
                 actions_done: float | Fraction,
                 not_applicable: Collection[str] = (),
                 evidence: Mapping[str, str] | None = None) -> LabelRule | None:
    """The highest label whose rule holds entirely, or None."""
    met = [check.rule for check in check_labels(fw, levels, actions_done, not_applicable,
                                                evidence) if check.met]
    return met[-1] if met else None


def awaiting_review(checks: list[RuleCheck]) -> LabelRule | None:
    """The highest label whose rule holds but for a reviewer's acceptance of the evidence,
    when it is above every label met (None otherwise)."""
    best = None
    for check in checks:
        if check.met:
            best = None
        elif check.failed == ("review",):
            best = check.rule
    return best


def share_done(done: int, total: int) -> Fraction:
    """The share of a plan's actions marked done; no previous plan (or an empty one) is 0."""
    return Fraction(done, total) if total else Fraction(0)
