"""More voices (issue 14, item 6): a coordinator invites staff by a link without an account to
answer the practice questions anonymously; their answers are shown beside the school's own
only when at least five replied."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ictmonitor.assessment import selectors
from ictmonitor.assessment.models import StaffReply, StaffSurvey
from ictmonitor.assessment.services import AssessmentError
from ictmonitor.assessment.services.staff import open_survey, record_reply
from ictmonitor.core.models import AuditEntry
from tests.assessment.test_support import answered, current, import_schools

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(tmp_path):
    return import_schools(tmp_path, [("6001", "limburg", "basis"),
                                     ("6002", "limburg", "basis")])


@pytest.fixture
def school(schools):
    return schools["6001"]


@pytest.fixture
def coordinator(client_for, school):
    return client_for("coordinator", institutions=[school])


def practice():
    return [q.code for q in selectors.staff_questions(current())]


def test_staff_answer_by_a_link_and_are_shown_from_five_replies(school, coordinator):
    answered(school, coordinator.user, {practice()[0]: 2})
    page = reverse("assessment:staff", args=[school.number])
    assert coordinator.post(page, {"action": "open"}).status_code == 302
    survey = StaffSurvey.objects.get()
    link = reverse("assessment:staff_reply", args=[survey.token])
    assert survey.token in coordinator.get(page).content.decode()
    first, second = practice()[:2]
    for n in range(4):
        stranger = Client()  # no account
        form = stranger.get(link)
        assert form.status_code == 200 and first in form.content.decode()
        assert stranger.post(link, {first: str(n % 4), second: "dont-know"}).status_code == 200
        again = stranger.get(link).content.decode()
        assert "already replied" in again or "al geantwoord" in again
        stranger.post(link, {first: "3"})  # a second post from the same browser is not kept
    replies, voices = selectors.staff_voices(selectors.draft_of(school))
    assert replies == 4 and voices == []  # four replies: nothing shown yet
    assert "Gemiddeld niveau" not in coordinator.get(page).content.decode()
    Client().post(link, {first: "3"})
    replies, voices = selectors.staff_voices(selectors.draft_of(school))
    assert replies == 5
    row = next(v for v in voices if v.question.code == first)
    assert row.answered == 5 and row.school == 2
    assert row.shares["3"] == 0.4 and row.shares["0"] == 0.2
    assert row.mean == pytest.approx((0 + 1 + 2 + 3 + 3) / 5)
    other = next(v for v in voices if v.question.code == second)
    assert other.answered == 4 and other.shares["dont-know"] == 1.0 and other.mean == 0
    shown = coordinator.get(page).content.decode()
    assert "40 %" in shown and "Gemiddeld niveau" in shown
    # Nothing in a reply says who: no user, no address, only the day.
    reply = StaffReply.objects.first()
    assert set(reply.answers) <= set(practice())
    assert AuditEntry.objects.filter(table="assessment.staffreply").first().user is None


def test_closed_links_take_no_replies_and_bad_answers_are_refused(school, coordinator):
    draft = answered(school, coordinator.user, {})
    survey = open_survey(draft, by=coordinator.user)
    with pytest.raises(AssessmentError):
        record_reply(survey, {"infra-mfa": 2})  # not a practice question
    with pytest.raises(AssessmentError):
        record_reply(survey, {practice()[0]: 7})
    with pytest.raises(AssessmentError):
        record_reply(survey, {})
    page = reverse("assessment:staff", args=[school.number])
    coordinator.post(page, {"action": "close"})
    link = reverse("assessment:staff_reply", args=[survey.token])
    Client().post(link, {practice()[0]: "2"})
    assert StaffReply.objects.count() == 0
    assert Client().get(reverse("assessment:staff_reply", args=["nope"])).status_code == 404


def test_only_the_coordinator_opens_the_link_and_only_for_their_school(
        schools, school, coordinator, client_for):
    answered(school, coordinator.user, {})
    page = reverse("assessment:staff", args=[school.number])
    board = client_for("board", boards=[school.board])
    assert board.get(page).status_code == 200
    assert board.post(page, {"action": "open"}).status_code == 403
    other = client_for("coordinator", institutions=[schools["6002"]])
    assert other.get(page).status_code == 404
    assert StaffSurvey.objects.count() == 0
