"""The label rules of framework 2.0 certify the critical controls (issue 14 item 3): bronze
asks no critical question at "not in place" or "don't know"; silver and gold ask every critical
question at "in place" or better, with evidence a reviewer accepted. The rules of 1.0 and 1.1
keep working for history. Pure: no database."""

from __future__ import annotations

import pytest

from ictmonitor.assessment import scoring
from tests.assessment.test_support import current, every, version

CRITICAL = [q.code for q in current().questions if q.critical]


def accepted(state: str = "accepted", **overrides: str) -> dict[str, str]:
    """Every critical question's evidence in one review state; `infra_mfa="pending"` one."""
    found = dict.fromkeys(CRITICAL, state)
    for name, value in overrides.items():
        found[name.replace("_", "-")] = value
    return found


def test_the_shipped_rules_declare_levels_evidence_and_review():
    fw = current()
    bronze, silver, gold = fw.labels
    assert fw.levels[2].label.en == "In place"
    assert (bronze.min_critical_level, bronze.evidence_on_critical, bronze.review) == (
        1, False, False)
    for rule in (silver, gold):
        assert (rule.min_critical_level, rule.evidence_on_critical, rule.review) == (
            2, True, True)
    assert len(CRITICAL) == 6


@pytest.mark.parametrize("code", CRITICAL)
def test_started_on_any_critical_question_holds_neither_silver_nor_gold(code):
    fw = current()
    levels = every(fw, 3, **{code.replace("-", "_"): 1})
    assert scoring.score(fw, levels).overall > 95
    checks = scoring.check_labels(fw, levels, 1, evidence=accepted())
    assert [c.met for c in checks] == [True, False, False]
    assert checks[1].failed == ("critical",) and checks[2].failed == ("critical",)
    assert scoring.earned_label(fw, levels, 1, evidence=accepted()).code == "bronze"


def test_gold_with_critical_gaps_no_longer_earns_gold():
    # The example: every critical question "started", the rest embedded (89.2 on
    # 1.1, 91.9 on 2.0's 70 questions): above gold's scores, but not gold.
    fw = current()
    levels = {q.code: 1 if q.critical else 3 for q in fw.questions}
    assert scoring.score(fw, levels).overall > fw.label("gold").min_overall_score
    assert scoring.earned_label(fw, levels, 1, evidence=accepted()).code == "bronze"
    # On 1.1 (kept for history) the same answers still gave gold.
    old = version("1.1")
    old_levels = {q.code: 1 if q.critical else 3 for q in old.questions}
    assert round(scoring.score(old, old_levels).overall, 1) == 89.2
    assert scoring.earned_label(old, old_levels, 1).code == "gold"


def test_dont_know_on_a_critical_question_blocks_bronze():
    fw = current()
    levels = every(fw, 3, infra_restore_tests=0)  # "don't know" is stored at level 0
    assert scoring.earned_label(fw, levels, 1, evidence=accepted()) is None
    assert scoring.check_labels(fw, levels, 1)[0].failed == ("critical",)


def test_silver_and_gold_ask_evidence_on_every_critical_question():
    fw = current()
    top = every(fw, 3)
    assert scoring.earned_label(fw, top, 1).code == "bronze"
    missing = {code: "accepted" for code in CRITICAL[1:]}
    checks = scoring.check_labels(fw, top, 1, evidence=missing)
    assert checks[2].failed == ("evidence",)
    sent_back = accepted(infra_mfa="returned")
    assert scoring.check_labels(fw, top, 1, evidence=sent_back)[2].failed == ("evidence",)
    assert scoring.awaiting_review(scoring.check_labels(fw, top, 1, evidence=sent_back)) is None


def test_a_label_awaits_the_reviewer_and_comes_with_the_acceptance():
    fw = current()
    top = every(fw, 3)
    waiting = scoring.check_labels(fw, top, 1, evidence=accepted(infra_mfa="pending"))
    assert [c.failed for c in waiting] == [(), ("review",), ("review",)]
    assert scoring.awaiting_review(waiting).code == "gold"
    assert scoring.earned_label(fw, top, 1, evidence=accepted()).code == "gold"
    # Silver's scores but not gold's: silver awaits.
    middle = every(fw, 2)
    checks = scoring.check_labels(fw, middle, 1, evidence=accepted("pending"))
    assert checks[1].failed == ("review",) and "overall" in checks[2].failed
    assert scoring.awaiting_review(checks).code == "silver"


def test_in_place_on_every_critical_question_with_accepted_evidence_is_enough_for_gold():
    fw = current()
    levels = {q.code: 2 if q.critical else 3 for q in fw.questions}
    assert scoring.earned_label(fw, levels, 1, evidence=accepted()).code == "gold"
