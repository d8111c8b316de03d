"""The action plan's feedback lands by the action saved, and the plan can be filtered by status
(issue 17 item 5: a 39-form page told "saved" only at its top)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ictmonitor.assessment.models import Action
from tests.assessment.test_support import current, every, import_schools, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(tmp_path):
    return import_schools(tmp_path, [("3101", "oost-vlaanderen", "basis")])["3101"]


@pytest.fixture
def coordinator(client_for, school):
    return client_for("coordinator", institutions=[school])


def plan_url(school, query=""):
    return reverse("assessment:plan", args=[school.number]) + query


def action_item(html: str, action: Action) -> str:
    """The list item of one action on the plan page."""
    found = re.search(rf'<li class="action[^"]*" id="action-{action.pk}">.*?</li>', html, re.S)
    assert found, f"action {action.pk} is not on the page"
    return found.group(0)


def test_saved_is_said_by_the_action_and_the_filter_is_kept(coordinator, school):
    outcome = submitted(school, coordinator.user, every(current(), 1))
    actions = list(Action.objects.filter(assessment=outcome.assessment).order_by("pk"))
    first, other = actions[0], actions[1]
    answer = coordinator.post(plan_url(school), {
        "action": first.pk, "owner": "ICT-coördinator", "status": "doing", "shown": "todo"})
    assert answer["Location"] == plan_url(
        school, f"?id={outcome.assessment.pk}&status=todo#action-{first.pk}")
    html = coordinator.get(plan_url(school)).content.decode()
    assert "De actie is bewaard." in action_item(html, first)
    assert "De actie is bewaard." not in action_item(html, other)
    assert 'class="empty messages"' not in html  # not at the top as well
    refused = coordinator.post(plan_url(school), {
        "action": first.pk, "owner": "leerling", "status": "done"}, follow=True)
    assert "nooit" in action_item(refused.content.decode(), first)


def test_the_plan_is_filtered_by_status(coordinator, school):
    outcome = submitted(school, coordinator.user, every(current(), 1))
    actions = list(Action.objects.filter(assessment=outcome.assessment).order_by("pk"))
    coordinator.post(plan_url(school), {"action": actions[0].pk, "status": "doing"})
    doing = coordinator.get(plan_url(school, "?status=doing")).content.decode()
    assert f'id="action-{actions[0].pk}"' in doing
    assert f'id="action-{actions[1].pk}"' not in doing
    assert "1 actie bezig." in doing
    every_action = coordinator.get(plan_url(school, "?status=nonsense")).content.decode()
    assert all(f'id="action-{a.pk}"' in every_action for a in actions)
