"""Scores, label rules and the action plan's order, on the shipped framework and on small
frameworks built here (pure: no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ictmonitor.assessment import labels, plans, scoring
from ictmonitor.assessment.framework import Answer, Area, Framework, LabelRule, Question, Text
from tests.assessment.test_support import current, every, version

T = Text((("nl", "x"), ("en", "x")))


def question(code: str, area: str, weight: int = 1, critical: bool = False) -> Question:
    answers = tuple(Answer(n, Text((("nl", f"a{n}"), ("en", f"a{n}"))),
                           Text((("nl", f"do {code} {n}"), ("en", f"do {code} {n}"))))
                    for n in range(4))
    return Question(code, area, T, T, T, weight, critical, answers, (), (), "1.0")


def small(areas: dict[str, tuple[int, list[tuple[str, int, bool]]]],
          rules: tuple[LabelRule, ...] | None = None) -> Framework:
    """A framework: area code → (weight, [(question code, weight, critical)])."""
    built = tuple(Area(code, T, T, weight, tuple(question(q, code, w, c) for q, w, c in qs))
                  for code, (weight, qs) in areas.items())
    rules = rules or (
        LabelRule("bronze", T, 40, 50, False, 0.0), LabelRule("silver", T, 55, 65, False, 0.5),
        LabelRule("gold", T, 70, 80, False, 0.8))
    return Framework("test", "1.0", ("nl", "en"), T, T, (), (), built, rules, 18, 12, "test")


def three_areas() -> Framework:
    """Areas a (5 questions), b (5) and c (10), every weight 1."""
    return small({
        "a": (1, [(f"a{i}", 1, False) for i in range(5)]),
        "b": (1, [(f"b{i}", 1, False) for i in range(5)]),
        "c": (1, [(f"c{i}", 1, i == 0) for i in range(10)]),
    })


def test_the_worked_example_of_the_docs():
    fw = small({"first": (1, [("q1", 3, False), ("q2", 2, False), ("q3", 1, False)])})
    found = scoring.score(fw, {"q1": 2, "q2": 3, "q3": 0})
    assert found.areas["first"] == pytest.approx(66.6667, abs=1e-4)
    assert found.exact_areas["first"] == Fraction(200, 3)
    # With the other two areas at 50.0 and 80.0 and all weights 1 the overall is 65.6.
    assert (found.areas["first"] + 50.0 + 80.0) / 3 == pytest.approx(65.6, abs=0.05)


def test_area_weights_weigh_in_the_overall_score():
    fw = small({"a": (2, [("a0", 1, False)]), "b": (1, [("b0", 1, False)])})
    assert scoring.score(fw, {"a0": 3, "b0": 0}).exact_overall == Fraction(200, 3)


def test_an_unanswered_question_counts_as_level_0():
    fw = current()
    some = {q.code: 3 for q in fw.questions[:10]}
    with_zeros = {**some, **{q.code: 0 for q in fw.questions[10:]}}
    assert scoring.score(fw, some) == scoring.score(fw, with_zeros)
    assert scoring.score(fw, {}).overall == 0


def test_a_school_exactly_at_the_thresholds_earns_the_label():
    fw = three_areas()
    # a and b at exactly 40 (6 of 15 points), c at exactly 70 (21 of 30): overall exactly 50.
    levels = dict(zip([f"a{i}" for i in range(5)], (2, 2, 1, 1, 0), strict=True))
    levels |= dict(zip([f"b{i}" for i in range(5)], (2, 2, 1, 1, 0), strict=True))
    levels |= dict(zip([f"c{i}" for i in range(10)], (3, 3, 3, 2, 2, 2, 2, 2, 1, 1),
                       strict=True))
    found = scoring.score(fw, levels)
    assert found.exact_areas == {"a": 40, "b": 40, "c": 70}
    assert found.exact_overall == 50
    assert scoring.earned_label(fw, levels, 0).code == "bronze"
    just_below = {**levels, "c9": 0}  # c at 66.7, overall 48.9
    assert scoring.earned_label(fw, just_below, 0) is None
    one_area_below = {**levels, "a3": 0, **{f"c{i}": 3 for i in range(10)}}  # a at 33.3
    assert scoring.check_rule(fw.labels[0], scoring.score(fw, one_area_below), [], 0).failed \
        == ("area",)


def test_actions_done_exactly_at_the_share_asked_count():
    fw = version("1.1")  # 2.0 also asks evidence: test_label_rules
    top = every(fw, 3)
    assert scoring.earned_label(fw, top, 0).code == "bronze"
    assert scoring.earned_label(fw, top, scoring.share_done(1, 2)).code == "silver"
    assert scoring.earned_label(fw, top, scoring.share_done(4, 5)).code == "gold"
    assert scoring.earned_label(fw, top, 0.8).code == "gold"  # as stored: a float
    assert scoring.earned_label(fw, top, scoring.share_done(79, 100)).code == "silver"
    assert scoring.share_done(0, 0) == 0  # no previous plan


def test_a_critical_gap_blocks_gold_and_every_other_label():
    fw = version("1.1")  # 2.0 also asks evidence: test_label_rules
    gap = every(fw, 3, infra_mfa=0)
    assert scoring.score(fw, gap).overall > 90
    assert scoring.critical_gaps(fw, gap) == ["infra-mfa"]
    checks = scoring.check_labels(fw, gap, 1)
    assert [c.failed for c in checks] == [("critical",)] * 3
    assert scoring.earned_label(fw, gap, 1) is None
    # Started (level 1) is no longer a gap; unanswered is.
    assert scoring.earned_label(fw, every(fw, 3, infra_mfa=1), 1).code == "gold"
    assert scoring.critical_gaps(fw, every(fw, 3, infra_mfa=None)) == ["infra-mfa"]


def test_a_first_assessment_at_in_place_everywhere_earns_bronze():
    fw = current()
    assert scoring.score(fw, every(fw, 2)).overall == pytest.approx(66.67, abs=0.01)
    assert scoring.earned_label(fw, every(fw, 2), 0).code == "bronze"
    assert scoring.earned_label(fw, every(fw, 1), 0) is None


def test_the_plan_puts_critical_gaps_first_then_weight_times_distance():
    fw = small({
        "a": (2, [("a-light", 1, False), ("a-heavy", 3, False)]),
        "b": (1, [("b-critical", 1, True), ("b-heavy", 3, False), ("b-done", 3, False)]),
    })
    found = plans.plan(fw, {"a-light": 0, "a-heavy": 2, "b-critical": 0, "b-heavy": 1,
                            "b-done": 3})
    assert [(a.question.code, a.priority) for a in found] == [
        ("b-critical", 3),  # critical at level 0: first, whatever its weight
        ("a-light", 6),     # 2 × 1 × 3, before a-heavy's 2 × 3 × 1 by framework order
        ("a-heavy", 6),
        ("b-heavy", 6),     # 1 × 3 × 2
    ]
    assert found[0].critical_gap and not found[1].critical_gap
    assert found[2].answer.action.get("nl") == "do a-heavy 2"  # the chosen answer's action


def test_a_critical_question_above_level_0_is_ordered_by_its_weight_like_any_other():
    fw = small({"a": (1, [("crit", 1, True), ("big", 3, False)])})
    assert [a.question.code for a in plans.plan(fw, {"crit": 1, "big": 1})] == ["big", "crit"]


def test_unanswered_questions_are_in_the_plan_and_level_3_ones_are_not():
    fw = current()
    found = plans.plan(fw, {fw.questions[0].code: 3})
    assert len(found) == len(fw.questions) - 1
    assert all(a.level == 0 for a in found)


@pytest.mark.parametrize(("awarded", "months", "until"), [
    ("2015-01-10", 18, "2016-07-10"),
    ("2015-08-31", 18, "2017-02-28"),
    ("2015-08-31", 12, "2016-08-31"),
    ("2016-02-29", 12, "2017-02-28"),
])
def test_validity_is_counted_in_calendar_months(awarded, months, until):
    from datetime import date

    assert labels.add_months(date.fromisoformat(awarded), months) == date.fromisoformat(until)


def test_a_label_is_valid_through_its_last_day_and_revoked_from_the_day_it_is():
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    awarded, until = date(2025, 1, 1), date(2026, 7, 1)
    assert labels.status(awarded, until, None, date(2026, 7, 1)) == labels.VALID
    assert labels.status(awarded, until, None, date(2026, 7, 2)) == labels.EXPIRED
    assert labels.status(awarded, until, None, date(2024, 12, 31)) == labels.NOT_YET
    revoked = datetime(2025, 6, 1, 9, tzinfo=ZoneInfo("Europe/Brussels"))
    assert labels.status(awarded, until, revoked, date(2025, 5, 31)) == labels.VALID
    assert labels.status(awarded, until, revoked, date(2025, 6, 1)) == labels.REVOKED
