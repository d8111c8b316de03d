"""A focused plan (issue 14 item 4): 5–10 focus actions for the next cycle, critical first, the
rest a backlog; progress is what the next assessment shows done, not what was ticked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ictmonitor.assessment import framework, plans, services
from ictmonitor.assessment.models import Action
from ictmonitor.core.models import AuditEntry
from tests.assessment.test_scoring import small
from tests.assessment.test_support import (
    current,
    every,
    import_schools,
    submitted,
    version,
)


def synthetic(critical: int, others: int):
    """One area with `critical` critical questions and `others` others, every weight 1."""
    questions = [(f"c{i}", 1, True) for i in range(critical)]
    questions += [(f"o{i}", 3, False) for i in range(others)]
    return small({"a": (1, questions)})


@pytest.mark.parametrize(("critical", "others", "size"),
                         [(0, 20, 5), (3, 20, 5), (7, 20, 7), (12, 20, 10), (0, 3, 3)])
def test_the_plan_proposes_five_to_ten_focus_actions_critical_first(critical, others, size):
    fw = synthetic(critical, others)
    planned = plans.plan(fw, {q.code: 1 for q in fw.questions})
    chosen = plans.focus(planned)
    assert len(chosen) == size
    assert {f"c{i}" for i in range(min(critical, 10))} <= chosen
    if critical and others:  # weightier questions lead the plan, not the focus
        assert planned[0].question.code.startswith("o")


def test_an_action_is_done_when_the_next_assessment_shows_its_level():
    old = new = version("1.1")
    assert plans.reached(old, new, "infra-mfa", 1, {"infra-mfa": 2}) is True
    assert plans.reached(old, new, "infra-mfa", 1, {"infra-mfa": 1}) is False
    assert plans.reached(old, new, "infra-mfa", 1, {"infra-mfa": "dont-know"}) is False
    assert plans.reached(old, new, "infra-mfa", 1, {}) is False


def test_across_the_major_version_the_migration_says_where_an_action_went():
    old, new = version("1.1"), current()
    # infra-firewall (1.1) split: present maps 0,1,2,2 and management 0,0,2,3.
    both = {"infra-firewall-present": 2, "infra-firewall-management": 2}
    assert plans.reached(old, new, "infra-firewall", 1, both) is True
    assert plans.reached(old, new, "infra-firewall", 1,
                         {**both, "infra-firewall-management": 0}) is False
    assert plans.reached(old, new, "infra-exposed-servers", 1,
                         {"infra-exposed-servers": "not-applicable"}) is None
    # infra-ddos maps 0,1,2,2: an action at level 2 aims at what the migration gives it
    # already; the migrated answer alone cannot show it done.
    moved = framework.migrate_answers(old, new, {"infra-ddos": 2}).levels
    assert plans.reached(old, new, "infra-ddos", 2, moved) is None
    assert plans.reached(old, new, "infra-ddos", 1, moved) is True
    # the management half of infra-firewall maps 0 and 1 alike: only "present" tells level 1.
    assert plans.reached(old, new, "infra-firewall", 0,
                         {"infra-firewall-present": 1, "infra-firewall-management": 0}) is True


@pytest.fixture
def school(tmp_path):
    return import_schools(tmp_path, [("2001", "limburg", "basis")])["2001"]


@pytest.fixture
def coordinator(user_factory, school):
    return user_factory("coordinator", institutions=[school])


@pytest.mark.django_db
def test_a_submitted_plan_has_its_focus_and_backlog_and_the_coordinator_moves_actions(
        school, coordinator, client_for):
    fw = current()
    outcome = submitted(school, coordinator, every(fw, 1))
    actions = list(outcome.assessment.actions.order_by("position"))
    focus = [a for a in actions if a.focus]
    assert len(focus) == 6  # the six critical questions, all "started"
    assert {a.question for a in focus} == {q.code for q in fw.questions if q.critical}
    backlog = next(a for a in actions if not a.focus)
    moved = services.update_action(backlog, owner="directie", due_on=None, status="todo",
                                   focus=True, by=coordinator)
    assert moved.focus
    entry = AuditEntry.objects.filter(table="assessment.action").latest("id")
    assert entry.changes["focus"] == [False, True]
    page = client_for(coordinator).get(reverse("assessment:plan", args=[school.number]))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index('id="focus-title"') < text.index('id="backlog-title"')
    assert text.count('name="focus"') == len(actions)
    assert Action.objects.filter(assessment=outcome.assessment, focus=True).count() == 7
