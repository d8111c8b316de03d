"""A school's cycle through the services: start, save and resume, submit (scores, plan, label),
re-assess from the last answers, renew, and move to a new framework version."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from ictmonitor.assessment import selectors, services
from ictmonitor.assessment.models import Answer, Assessment, Label
from ictmonitor.core.models import AuditEntry
from tests.assessment.test_support import (
    answered,
    current,
    every,
    import_schools,
    moment,
    submitted,
    version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(tmp_path):
    return import_schools(tmp_path, [("2001", "limburg", "basis")])["2001"]


@pytest.fixture
def coordinator(user_factory, school):
    return user_factory("coordinator", institutions=[school])


def test_saved_answers_are_there_when_the_coordinator_comes_back(school, coordinator):
    fw = version("1.1")
    first, second = fw.questions[0].code, fw.questions[1].code
    answered(school, coordinator, {first: 2}, fw=fw)
    again = services.start_assessment(school, by=coordinator)  # resumes, does not start anew
    services.save_answers(again, {second: 1, first: 3}, by=coordinator)
    assert Assessment.objects.filter(institution=school).count() == 1
    assert selectors.levels_of(again) == {first: 3, second: 1}
    services.save_answers(again, {first: None}, by=coordinator)  # cleared
    assert selectors.levels_of(again) == {second: 1}
    progress = selectors.progress(fw, selectors.levels_of(again))
    assert sum(p.answered for p in progress) == 1
    assert [p.total for p in progress] == [17, 18, 18]


def test_every_save_records_who_changed_which_answer(school, coordinator):
    fw = current()
    code = fw.questions[0].code
    answered(school, coordinator, {code: 2})
    entry = AuditEntry.objects.filter(table="assessment.answer").latest("id")
    assert entry.user == coordinator
    assert entry.changes == {code: [None, 2]}
    answer = Answer.objects.get(question=code)
    assert answer.changed_by == coordinator.username


def test_unknown_questions_and_levels_are_refused(school, coordinator):
    assessment = answered(school, coordinator, {})
    with pytest.raises(services.AssessmentError):
        services.save_answers(assessment, {"no-such-question": 1}, by=coordinator)
    with pytest.raises(services.AssessmentError):
        services.save_answers(assessment, {current().questions[0].code: 4}, by=coordinator)


def test_a_partial_submit_needs_confirming_and_counts_the_rest_as_0(school, coordinator):
    fw = version("1.1")
    assessment = answered(school, coordinator, {q.code: 3 for q in fw.questions[:17]}, fw=fw)
    with pytest.raises(services.AssessmentError, match="36 vragen"):
        services.submit_assessment(assessment, by=coordinator)
    outcome = services.submit_assessment(assessment, by=coordinator, confirm_unanswered=True)
    assert outcome.scores.areas == {"infrastructure": 100.0, "policy": 0.0, "practice": 0.0}
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert assessment.overall_score == pytest.approx(100 / 3)
    assert outcome.label is None  # critical policy questions at level 0
    assert assessment.actions.count() == 36
    with pytest.raises(services.AssessmentError):
        services.save_answers(assessment, {fw.questions[0].code: 1}, by=coordinator)
    with pytest.raises(services.AssessmentError):
        services.submit_assessment(assessment, by=coordinator, confirm_unanswered=True)


def test_submitting_makes_the_plan_in_order_and_awards_bronze(school, coordinator):
    fw = version("1.1")
    levels = every(fw, 2, infra_firewall=3, practice_copyright=0)
    outcome = submitted(school, coordinator, levels, fw=fw)
    plan = list(outcome.assessment.actions.order_by("position"))
    assert len(plan) == len(fw.questions) - 1  # the firewall is at level 3: no action
    # Weight 3 at level 2 and weight 1 at level 0 both weigh 3; ties keep framework order.
    assert plan[0].question == "infra-backups" and plan[0].priority == 3
    assert [a.priority for a in plan] == sorted((a.priority for a in plan), reverse=True)
    assert next(a for a in plan if a.question == "practice-copyright").priority == 3
    assert outcome.label.level == "bronze"
    assert set(outcome.assessment.area_scores.values_list("area", flat=True)) == {
        "infrastructure", "policy", "practice"}


def test_the_plan_order_follows_the_rules(school, coordinator):
    fw = version("1.1")
    levels = every(fw, 2, infra_mfa=0, practice_copyright=0, policy_staff_training=1)
    outcome = submitted(school, coordinator, levels, fw=fw)
    order = list(outcome.assessment.actions.order_by("position")
                 .values_list("question", "priority", "critical_gap"))
    assert order[0] == ("infra-mfa", 9, True)
    assert order[1] == ("policy-staff-training", 6, False)
    priorities = [p for _, p, gap in order if not gap]
    assert priorities == sorted(priorities, reverse=True)


def test_the_label_is_valid_18_months(school, coordinator):
    outcome = submitted(school, coordinator, every(current(), 2), when="2025-03-31 10:00")
    label = outcome.label
    assert (label.awarded_on.isoformat(), label.valid_until.isoformat()) == ("2025-03-31",
                                                                           "2026-09-30")
    assert label.framework_version == current().version and len(label.token) >= 32
    assert selectors.current_label(school, moment("2026-09-30").date()) == label
    assert selectors.current_label(school, moment("2026-10-01").date()) is None


def test_reassessment_starts_from_the_last_answers_and_shows_what_changed(school, coordinator):
    fw = current()
    first = submitted(school, coordinator, every(fw, 2), when="2025-01-15").assessment
    second = services.start_assessment(school, by=coordinator, now=moment("2026-02-01"))
    assert second.cycle == 2 and second.previous == first
    assert selectors.levels_of(second) == selectors.levels_of(first)
    services.save_answers(second, {"infra-mfa": 3, "policy-review": 1}, by=coordinator)
    changed = {(c.question.code, c.before, c.now) for c in selectors.changes(second)}
    assert changed == {("infra-mfa", 2, 3), ("policy-review", 2, 1)}


def test_silver_needs_half_of_the_previous_plan_done_as_the_next_assessment_shows(
        school, coordinator):
    fw = version("1.1")
    first = submitted(school, coordinator, every(fw, 2), when="2025-01-15", fw=fw)
    assert first.label.level == "bronze"
    actions = list(first.assessment.actions.order_by("position"))
    codes = [a.question for a in actions]
    assert len(codes) == 53
    # Nothing ticked, but the next assessment shows 27 of the 53 levels reached: 51 %.
    kept = services.update_action(actions[40], owner="directie", due_on=date(2026, 6, 30),
                                  status="done", by=coordinator)
    services.update_action(actions[41], owner="ICT-coördinator", due_on=None, status="doing",
                           by=coordinator)
    second = submitted(school, coordinator, {**every(fw, 2), **dict.fromkeys(codes[:27], 3)},
                       when="2026-02-01", fw=fw)
    assert second.actions_done == pytest.approx(27 / 53)
    assert second.label.level == "silver"
    shown = dict(first.assessment.actions.values_list("question", "reached"))
    assert sorted(shown[c] for c in codes) == [False] * 26 + [True] * 27
    entry = AuditEntry.objects.filter(table="assessment.action").latest("id")
    assert entry.changes["reached"][1] == sorted(codes[:27])
    # The new plan keeps each unfinished action's owner, due date and status; a "done" the
    # assessment did not confirm is in progress again.
    new = {a.question: a for a in second.assessment.actions.all()}
    assert set(new) == set(codes[27:])
    assert (new[kept.question].owner, new[kept.question].due_on, new[kept.question].status) \
        == ("directie", date(2026, 6, 30), "doing")
    assert new[codes[41]].status == "doing" and new[codes[41]].owner == "ICT-coördinator"
    assert new[codes[42]].status == "todo"


def test_ticking_every_action_done_is_not_progress(school, coordinator):
    fw = version("1.1")
    first = submitted(school, coordinator, every(fw, 3, infra_wifi=2, policy_leavers=2),
                      when="2025-01-15", fw=fw)
    first.assessment.actions.update(status="done")
    second = submitted(school, coordinator, every(fw, 3, infra_wifi=2, policy_leavers=2),
                       when="2026-02-01", fw=fw)
    assert second.actions_done == 0 and second.label.level == "bronze"


def test_gold_needs_most_of_the_plan_done_and_no_critical_gap(school, coordinator):
    fw = version("1.1")  # the rules of 1.x, kept for history: no evidence asked
    first = submitted(school, coordinator, every(fw, 2), when="2025-01-15", fw=fw)
    first.assessment.actions.update(status="done")
    gap = submitted(school, coordinator, every(fw, 3, infra_backups=0), when="2026-01-20",
                    fw=fw)
    assert gap.scores.overall > 90 and gap.earned is None and gap.label is None
    gap.assessment.actions.update(status="done")
    gold = submitted(school, coordinator, every(fw, 3), when="2026-01-21", fw=fw)
    assert gold.label.level == "gold"


def test_a_label_is_renewed_from_12_months_or_raised_earlier(school, coordinator):
    fw = version("1.1")
    first = submitted(school, coordinator, every(fw, 2), when="2025-01-15", fw=fw)
    early = submitted(school, coordinator, every(fw, 2), when="2025-10-01", fw=fw)
    assert early.earned.code == "bronze" and early.label is None  # not renewable yet
    renewal = submitted(school, coordinator, every(fw, 2), when="2026-01-15", fw=fw)
    assert renewal.label is not None and renewal.label.valid_until.isoformat() == "2027-07-15"
    renewal.assessment.actions.update(status="done")
    raised = submitted(school, coordinator, every(fw, 3), when="2026-03-01", fw=fw)
    assert raised.label.level == "gold"  # a higher label does not wait for renewal
    assert list(Label.objects.filter(institution=school).order_by("awarded_on")
                .values_list("level", flat=True)) == ["bronze", "bronze", "gold"]
    assert selectors.current_label(school, moment("2026-03-02").date()) == raised.label
    assert first.label.assessment == first.assessment


def test_action_owners_are_staff_roles_never_pupils(school, coordinator):
    outcome = submitted(school, coordinator, every(current(), 2))
    action = outcome.assessment.actions.first()
    saved = services.update_action(action, owner="  ICT-coördinator ", due_on=None,
                                   status="doing", by=coordinator)
    assert saved.owner == "ICT-coördinator" and saved.status == "doing"
    for owner in ("leerling Jan", "a pupil", "Student council"):
        with pytest.raises(services.AssessmentError):
            services.update_action(action, owner=owner, due_on=None, status="todo",
                                   by=coordinator)
    done = services.update_action(action, owner="directie", due_on=None, status="done",
                                  by=coordinator)
    assert done.done_on == timezone.localdate()


def test_a_label_holder_on_1_0_answers_only_the_new_questions(school, coordinator,
                                                            monkeypatch):
    old, new = version("1.0"), version("1.1")
    monkeypatch.setattr(selectors, "current_framework", lambda: new)  # before 2.0 came out
    outcome = submitted(school, coordinator, every(old, 2), fw=old, when="2025-02-01")
    news = selectors.announcement(school, moment("2025-06-01").date())
    assert [q.code for q in news.questions] == ["policy-deepfake-response",
                                                "policy-payment-verification",
                                                "practice-deepfakes", "practice-sextortion"]
    with pytest.raises(services.AssessmentError):  # every new question, and only those
        services.upgrade_assessment(outcome.assessment, {"practice-deepfakes": 1},
                                    by=coordinator)
    levels = {q.code: 1 for q in news.questions}
    upgraded = services.upgrade_assessment(outcome.assessment, levels, by=coordinator)
    assert (upgraded.version, upgraded.upgraded_from, upgraded.cycle) == ("1.1", "1.0", 1)
    assert len(selectors.levels_of(upgraded)) == len(new.questions)
    assert upgraded.actions.count() == len(new.questions)
    assert upgraded.actions.order_by("-position").first().question in levels
    outcome.label.refresh_from_db()
    assert outcome.label.framework_version == "1.1"
    entry = AuditEntry.objects.get(table="assessment.label", action="update")
    assert (entry.user, entry.object_key, entry.changes) == (
        coordinator, f"{school.number}/{outcome.label.awarded_on}",
        {"framework_version": ["1.0", "1.1"]})
    assert selectors.announcement(school, moment("2025-06-01").date()) is None
    assert upgraded.overall_score < outcome.scores.overall  # the new ones at level 1


def test_no_announcement_without_a_label_or_on_the_latest_version(school, coordinator):
    submitted(school, coordinator, every(version("1.0"), 1), fw=version("1.0"))
    assert selectors.announcement(school) is None  # on 1.0, but no label
    submitted(school, coordinator, every(current(), 2))
    assert selectors.current_label(school) is not None
    assert selectors.announcement(school) is None  # a label, on the latest version


def test_label_rules_validity_and_renewal_are_read_from_the_framework(school, coordinator,
                                                                        monkeypatch):
    from dataclasses import replace

    from ictmonitor.assessment import framework

    shipped = version("1.1")
    bronze, *higher = shipped.labels
    edited = replace(shipped, validity_months=24, renewable_after_months=6,
                     labels=(replace(bronze, min_overall_score=70), *higher))
    monkeypatch.setattr(framework, "get", lambda *args, **kwargs: edited)
    assert submitted(school, coordinator, every(shipped, 2), when="2025-01-15").label is None
    first = submitted(school, coordinator, every(shipped, 2, infra_firewall=3, infra_wifi=3,
                                                 **{q.code.replace("-", "_"): 3
                                                    for q in shipped.area("policy").questions}),
                      when="2025-01-16")
    assert first.label.level == "bronze"
    assert first.label.valid_until.isoformat() == "2027-01-16"  # 24 months, as the file says
    renewal = submitted(school, coordinator, every(shipped, 3, infra_mfa=2), when="2025-07-16")
    assert renewal.label is not None  # renewable after 6 months, as the file says
