"""More voices: the coordinator invites the school's staff, by a link without an account, to
answer the practice questions anonymously; each reply is kept without who or when (only the
day), and the replies are shown beside the school's own answers only from MIN_REPLIES on."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.assessment import selectors
from ictmonitor.assessment.models import Answer, Assessment, StaffReply, StaffSurvey
from ictmonitor.assessment.services.common import AssessmentError
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit, who

TABLE = "assessment.staffsurvey"
REPLY_TABLE = "assessment.staffreply"
MAX_REPLIES = 500  # a school's staff, with room; a link passed on further stops there
MARKS = {Answer.Mark.DONT_KNOW.value, Answer.Mark.NOT_APPLICABLE.value}


def survey_key(assessment: Assessment) -> str:
    """The audit key of a survey: `schoolnummer#cycle/staff`."""
    return f"{assessment.institution.number}#{assessment.cycle}/staff"


def open_survey(assessment: Assessment, *, by: Any, now: datetime | None = None) -> StaffSurvey:
    """Open (or open again) the staff survey of an assessment; returns it with its link."""
    if assessment.status != Assessment.Status.DRAFT and not _latest(assessment):
        raise AssessmentError(_("Staff answer on the assessment in progress or on the latest "
                                "submitted one."), "conflict")
    now = now or timezone.now()
    user, actor = who(by)
    with transaction.atomic():
        found = StaffSurvey.objects.select_for_update().filter(assessment=assessment).first()
        if found is not None:
            if found.closed_at is None:
                return found
            StaffSurvey.objects.filter(pk=found.pk).update(closed_at=None)
            found.closed_at = None
            audit(by, now, AuditEntry.Action.UPDATE, TABLE, survey_key(assessment),
                  {"closed": [True, False]})
            return found
        try:
            with transaction.atomic():
                survey = StaffSurvey.objects.create(
                    assessment=assessment, token=secrets.token_urlsafe(24), opened_at=now,
                    opened_by=user, actor=actor)
        except IntegrityError:  # opened at the same moment by someone else
            return StaffSurvey.objects.get(assessment=assessment)
        audit(by, now, AuditEntry.Action.CREATE, TABLE, survey_key(assessment),
              {"opened": [None, True]})
    return survey


def close_survey(survey: StaffSurvey, *, by: Any, now: datetime | None = None) -> StaffSurvey:
    """Close the link: later visitors are told the survey is closed; replies stay."""
    now = now or timezone.now()
    if StaffSurvey.objects.filter(pk=survey.pk, closed_at__isnull=True).update(closed_at=now):
        audit(by, now, AuditEntry.Action.UPDATE, TABLE, survey_key(survey.assessment),
              {"closed": [False, True]})
    survey.refresh_from_db()
    return survey


def record_reply(survey: StaffSurvey, answers: dict[str, int | str],
                 now: datetime | None = None) -> StaffReply:
    """Keep one anonymous reply: an answer (a level, or a mark the question allows) to each
    of some practice questions of the survey's assessment."""
    fw = selectors.framework_of(survey.assessment)
    questions = {q.code: q for q in selectors.staff_questions(fw)}
    kept: dict[str, int | str] = {}
    for code, value in answers.items():
        question = questions.get(code)
        if question is None:
            raise AssessmentError(_("%(code)s is not a question staff answer.") % {"code": code})
        if value == Answer.Mark.NOT_APPLICABLE and not question.allows_not_applicable:
            raise AssessmentError(_("%(code)s cannot be answered \"not applicable\".")
                                  % {"code": code})
        if not (value in MARKS or (isinstance(value, int) and 0 <= value <= 3)):
            raise AssessmentError(_("Choose one of the answers offered."))
        kept[code] = value
    if not kept:
        raise AssessmentError(_("Answer at least one question."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = StaffSurvey.objects.select_for_update().get(pk=survey.pk)
        if locked.closed_at is not None:
            raise AssessmentError(_("This survey is closed."), "conflict")
        if locked.replies.count() >= MAX_REPLIES:
            raise AssessmentError(_("This survey has all the replies it takes."), "conflict")
        reply = StaffReply.objects.create(survey=locked, replied_on=timezone.localdate(now),
                                          answers=kept)
        # Who replied is not known, and the audit entry says no more than that one did.
        audit("staff (anonymous)", now, AuditEntry.Action.CREATE, REPLY_TABLE,
              f"{survey_key(survey.assessment)}/{reply.pk}", {"answers": [None, len(kept)]})
    return reply


def _latest(assessment: Assessment) -> bool:
    latest = selectors.latest_submitted(assessment.institution)
    return latest is not None and latest.pk == assessment.pk
