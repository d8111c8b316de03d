"""Starting an assessment, saving answers, submitting (scores, plan, label) and moving a
submitted assessment to a newer framework version by answering only its new questions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ictmonitor.assessment import plans, scoring, selectors
from ictmonitor.assessment.framework import Framework, LabelRule, new_questions, version_key
from ictmonitor.assessment.models import Action, Answer, AreaScore, Assessment, Evidence, Label
from ictmonitor.assessment.services.common import AssessmentError
from ictmonitor.assessment.services.evidence import reopen_reviews
from ictmonitor.assessment.services.labels import TABLE as LABELS
from ictmonitor.assessment.services.labels import award_label, label_key, may_award
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit, stamp, who

TABLE = "assessment.assessment"
ANSWERS = "assessment.answer"
ACTIONS = "assessment.action"


@dataclass(frozen=True)
class Outcome:
    """What a submit gave: the scores, the label rule met, and the label awarded (if any)."""

    assessment: Assessment
    scores: scoring.Scores
    earned: LabelRule | None
    label: Label | None
    actions_done: Fraction
    # A higher label whose rule holds but for a reviewer's acceptance of the evidence.
    awaiting: LabelRule | None = None


def key(assessment: Assessment) -> str:
    """The audit key of an assessment: `schoolnummer#cycle`."""
    return f"{assessment.institution.number}#{assessment.cycle}"


@transaction.atomic
def start_assessment(institution: Any, *, by: Any, now: datetime | None = None,
                     framework: Framework | None = None) -> Assessment:
    """The assessment in progress, or a new one starting from the last submitted answers."""
    draft = selectors.draft_of(institution)
    if draft is not None:
        return draft
    now = now or timezone.now()
    fw = framework or selectors.current_framework()
    previous = selectors.latest_submitted(institution)
    cycle = (Assessment.objects.filter(institution=institution)
             .aggregate(last=Max("cycle"))["last"] or 0) + 1
    user, actor = who(by)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                institution=institution, cycle=cycle, framework=fw.id, version=fw.version,
                previous=previous, started_by=user, **stamp(actor, now, created=True))
    except IntegrityError:  # another request started it at the same moment
        found = selectors.draft_of(institution)
        if found is None:
            raise
        return found
    copied, moved_from = 0, None
    if previous is not None and previous.framework == fw.id:
        # Across a major version the answers move as the new version's migration declares.
        carried = selectors.carried_answers(previous, fw)
        Answer.objects.bulk_create([
            Answer(assessment=assessment, question=code, **stored(value),
                   **stamp(actor, now, created=True))
            for code, value in carried.levels.items()])
        copied = len(carried.levels)
        evidence = _carry_evidence(previous, assessment, carried.origins, user, actor, now)
        if previous.version != fw.version:
            moved_from = previous.version
    audit(by, now, AuditEntry.Action.CREATE, TABLE, key(assessment), {
        "framework": (None, f"{fw.id} {fw.version}"), "answers_copied": (None, copied),
        **({"evidence_copied": (None, evidence)} if copied and evidence else {}),
        **({"migrated_from": (None, moved_from)} if moved_from else {})})
    return assessment


def _carry_evidence(previous: Assessment, assessment: Assessment,
                    origins: Mapping[str, tuple[str, ...]], user: Any, actor: str,
                    now: datetime) -> int:
    """Start each answer's comment and evidence from the previous cycle's current version
    (where the answer came from one question): version 1 here, its document shared, its
    review to be done again for this cycle. Returns how many."""
    before = selectors.current_evidence(previous)
    fields = ("comment", "text", "link", "document_name", "document_path", "document_type",
              "document_size")
    made = []
    for code, sources in origins.items():
        item = before.get(sources[0]) if len(sources) == 1 else None
        if item is None:
            continue
        copy = Evidence(assessment=assessment, question=code, number=1, created_at=now,
                        created_by=user, actor=actor,
                        **{f: getattr(item, f) for f in fields})
        copy.review = Evidence.Review.PENDING if copy.complete else Evidence.Review.NONE
        made.append(copy)
    Evidence.objects.bulk_create(made)
    return len(made)


def stored(value: int | str) -> dict[str, Any]:
    """An answer's columns: a level, or a mark stored at level 0."""
    if isinstance(value, str):
        return {"level": 0, "mark": value}
    return {"level": value, "mark": ""}


MARKS = (Answer.Mark.DONT_KNOW.value, Answer.Mark.NOT_APPLICABLE.value)


def check_levels(fw: Framework, levels: Mapping[str, Any]) -> dict[str, int | str | None]:
    """Answers as question → level 0–3, "dont-know" or "not-applicable" (None clears it);
    AssessmentError naming what is wrong."""
    questions = {q.code: q for q in fw.questions}
    checked: dict[str, int | str | None] = {}
    for code, level in levels.items():
        if code not in questions:
            raise AssessmentError(_("%(code)s is not a question of this framework version.")
                                  % {"code": code})
        if level in (None, ""):
            checked[code] = None
            continue
        if level == Answer.Mark.NOT_APPLICABLE and not questions[code].allows_not_applicable:
            raise AssessmentError(_("%(code)s cannot be answered 'not applicable'.")
                                  % {"code": code})
        if level in MARKS:
            checked[code] = str(level)
            continue
        if isinstance(level, bool) or str(level) not in ("0", "1", "2", "3"):
            raise AssessmentError(_("The level of %(code)s must be 0, 1, 2 or 3, 'dont-know' "
                                    "or 'not-applicable'.")
                                  % {"code": code})
        checked[code] = int(level)
    return checked


@transaction.atomic
def save_answers(assessment: Assessment, levels: Mapping[str, Any], *, by: Any,
                 now: datetime | None = None, levels_after: dict[str, Any] | None = None
                 ) -> dict[str, tuple[int | str | None, int | str | None]]:
    """Save answers in progress; what changed (old, new); fills `levels_after` if given."""
    fw = selectors.framework_of(assessment)
    checked = check_levels(fw, levels)
    now = now or timezone.now()
    _user, actor = who(by)
    # Locks the assessment's row (PostgreSQL), and refuses once it is submitted.
    if not Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT).update(
            **stamp(actor, now)):
        raise AssessmentError(_("This assessment was submitted; its answers can no longer "
                                "change."), "conflict")
    existing: dict[str, int | str] = {
        code: mark or level for code, level, mark in Answer.objects.filter(
            assessment_id=assessment.pk).values_list("question", "level", "mark")}
    changes = {code: (existing.get(code), level) for code, level in checked.items()
               if existing.get(code) != level}
    if levels_after is not None:
        levels_after.update(existing)
        levels_after.update({code: new for code, (_old, new) in changes.items()
                             if new is not None})
        for code in [code for code, (_old, new) in changes.items() if new is None]:
            levels_after.pop(code, None)
    if not changes:
        return {}
    gone = [code for code, (_old, new) in changes.items() if new is None]
    if gone:
        assessment.answers.filter(question__in=gone).delete()
    Answer.objects.bulk_create(
        [Answer(assessment=assessment, question=code, **stored(new),
                **stamp(actor, now, created=True))
         for code, (_old, new) in changes.items() if new is not None],
        update_conflicts=True, unique_fields=["assessment", "question"],
        update_fields=["level", "mark", "updated_at", "changed_by"])
    audit(by, now, AuditEntry.Action.UPDATE, ANSWERS, key(assessment), changes)
    reopen_reviews(assessment, changes, by=by, now=now)
    return changes


def unanswered(assessment: Assessment) -> list[str]:
    """The codes of the questions not answered yet, in framework order."""
    answered = set(assessment.answers.values_list("question", flat=True))
    return [q.code for q in selectors.framework_of(assessment).questions
            if q.code not in answered]


def superseded_by(assessment: Assessment) -> Framework | None:
    """The current framework, when a draft is on an older major version of it (its label
    rules, the ones that certify, then apply: the draft moves before it is submitted)."""
    current = selectors.current_framework()
    if (assessment.status != Assessment.Status.DRAFT or assessment.framework != current.id
            or version_key(assessment.version)[0] >= version_key(current.version)[0]):
        return None
    return current


def refuse_superseded(assessment: Assessment) -> None:
    """AssessmentError when a school submits a draft on an older major version (its own
    version's label rules no longer certify anything): it moves to the current one first.
    The pages and the API ask this before they submit; history written by the demo and the
    carry-over (1.x assessments of their time) is submitted as it was."""
    newer = superseded_by(assessment)
    if newer is not None:
        raise AssessmentError(_("Version %(new)s of the questionnaire replaced version "
                                "%(old)s: move your answers to it first (the overview offers "
                                "it), then submit.")
                              % {"new": newer.version, "old": assessment.version}, "conflict")


@transaction.atomic
def move_draft(assessment: Assessment, *, by: Any, now: datetime | None = None) -> Assessment:
    """Move a draft on an older major version to the current version: its answers move as
    the current version declares (as a new cycle's would), the comment and evidence of an
    answer that moved from one question go along as its next version, awaiting review."""
    current = superseded_by(assessment)
    if current is None:
        raise AssessmentError(_("This assessment is on the current version already."),
                              "conflict")
    now = now or timezone.now()
    user, actor = who(by)
    old = selectors.framework_of(assessment)
    if not Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT,
                                     version=old.version).update(
            version=current.version, **stamp(actor, now)):
        raise AssessmentError(_("This assessment was moved or submitted already."), "conflict")
    moved = selectors.carried_answers(assessment, current)
    before = selectors.current_evidence(assessment)
    assessment.answers.all().delete()
    Answer.objects.bulk_create([
        Answer(assessment=assessment, question=code, **stored(value),
               **stamp(actor, now, created=True)) for code, value in moved.levels.items()])
    numbers = {code: item.number for code, item in before.items()}
    fields = ("comment", "text", "link", "document_name", "document_path", "document_type",
              "document_size")
    made = []
    for code, sources in moved.origins.items():
        item = before.get(sources[0]) if len(sources) == 1 and sources[0] != code else None
        if item is None:
            continue
        copy = Evidence(assessment=assessment, question=code, number=numbers.get(code, 0) + 1,
                        created_at=now, created_by=user, actor=actor,
                        **{f: getattr(item, f) for f in fields})
        copy.review = Evidence.Review.PENDING if copy.complete else Evidence.Review.NONE
        made.append(copy)
    Evidence.objects.bulk_create(made)
    assessment.refresh_from_db()
    audit(by, now, AuditEntry.Action.UPDATE, TABLE, key(assessment), {
        "version": (old.version, current.version), "answers_moved": (None, len(moved.levels)),
        **({"evidence_moved": (None, len(made))} if made else {}),
        **({"removed": (None, list(moved.removed))} if moved.removed else {})})
    return assessment


@transaction.atomic
def submit_assessment(assessment: Assessment, *, by: Any, confirm_unanswered: bool = False,
                      now: datetime | None = None) -> Outcome:
    """Submit (unanswered = level 0, when confirmed): scores, the action plan and the label."""
    now = now or timezone.now()
    fw = selectors.framework_of(assessment)
    missing = unanswered(assessment)
    if missing and not confirm_unanswered:
        raise AssessmentError(ngettext(
            "%(count)s question is not answered; confirm that it counts as level 0.",
            "%(count)s questions are not answered; confirm that they count as level 0.",
            len(missing)) % {"count": len(missing)})
    user, actor = who(by)
    if not Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT).update(
            status=Assessment.Status.SUBMITTED, submitted_at=now, submitted_by=user,
            **stamp(actor, now)):
        raise AssessmentError(_("This assessment was submitted already."), "conflict")
    assessment.refresh_from_db()
    levels = selectors.levels_of(assessment)
    absent, unknown = selectors.not_applicable_of(assessment), selectors.dont_know_of(assessment)
    scores = scoring.score(fw, levels, absent)
    # Progress is what was done: the previous plan's actions whose level this one shows.
    reached = selectors.plan_reached(assessment.previous, assessment)
    share = scoring.share_done(*selectors.share_reached(reached))
    _confirm_previous_plan(assessment, reached, by, now)
    AreaScore.objects.bulk_create([AreaScore(assessment=assessment, area=code, score=value)
                                   for code, value in scores.areas.items()])
    planned = plans.plan(fw, levels, absent, unknown)
    focus = plans.focus(planned)
    before = selectors.previous_actions(assessment.previous)
    Action.objects.bulk_create([
        Action(assessment=assessment, question=item.question.code, area=item.question.area,
               level=item.level, position=n, critical_gap=item.critical_gap,
               priority=item.priority, focus=item.question.code in focus,
               **carried(before.get(item.question.code), item.level),
               **stamp(actor, now, created=True))
        for n, item in enumerate(planned, 1)])
    Assessment.objects.filter(pk=assessment.pk).update(overall_score=scores.overall,
                                                       actions_done=float(share))
    assessment.overall_score, assessment.actions_done = scores.overall, float(share)
    checks = selectors.label_checks(assessment)
    met = [check.rule for check in checks if check.met]
    earned = met[-1] if met else None
    awaiting = scoring.awaiting_review(checks)
    label = None
    today = timezone.localdate(now)
    if earned is not None and may_award(assessment.institution, earned.code, fw, today):
        label = award_label(assessment.institution, earned.code, fw, on=today,
                            assessment=assessment, by=by, now=now)
    audit(by, now, AuditEntry.Action.UPDATE, TABLE, key(assessment), {
        "status": ("draft", "submitted"), "overall_score": (None, round(scores.overall, 1)),
        "unanswered": (None, len(missing)), "label": (None, label.level if label else None),
        **({"label_awaits_review": (None, awaiting.code)} if awaiting else {}),
        **({"dont_know": (None, len(unknown))} if unknown else {}),
        **({"not_applicable": (None, len(absent))} if absent else {})})
    return Outcome(assessment, scores, earned, label, share, awaiting)


def carried(previous: Action | None, level: int) -> dict[str, Any]:
    """What an action keeps from the previous plan's action on its question: the owner always;
    the due date and status too while it aims at the same level (not reached yet), a "done"
    the assessment did not confirm going back to "in progress"."""
    if previous is None:
        return {}
    if previous.level != level:
        return {"owner": previous.owner}
    status = Action.Status.DOING if previous.status == Action.Status.DONE else previous.status
    return {"owner": previous.owner, "due_on": previous.due_on, "status": status}


def _confirm_previous_plan(assessment: Assessment, reached: Mapping[str, bool | None],
                           by: Any, now: datetime) -> None:
    """Record on the previous plan which actions this assessment showed done."""
    previous = assessment.previous
    if previous is None or not reached:
        return
    _user, actor = who(by)
    for value in (True, False):
        codes = [code for code, found in reached.items() if found is value]
        if codes:
            previous.actions.filter(question__in=codes).update(reached=value,
                                                               **stamp(actor, now))
    audit(by, now, AuditEntry.Action.UPDATE, ACTIONS, key(previous), {
        "reached": (None, sorted(c for c, found in reached.items() if found)),
        "not_reached": (None, sorted(c for c, found in reached.items() if found is False))})


@transaction.atomic
def upgrade_assessment(assessment: Assessment, levels: Mapping[str, Any], *, by: Any,
                       now: datetime | None = None) -> Assessment:
    """Move a submitted assessment to the latest minor version by answering its new questions."""
    now = now or timezone.now()
    old, new = selectors.framework_of(assessment), selectors.current_framework()
    if (assessment.status != Assessment.Status.SUBMITTED or new.id != old.id
            or version_key(new.version) <= version_key(old.version)
            or version_key(new.version)[0] != version_key(old.version)[0]):
        raise AssessmentError(_("There is no newer version to move this assessment to."),
                              "conflict")
    added = new_questions(old, new)
    checked = check_levels(new, levels)
    answered = {code: level for code, level in checked.items() if level is not None}
    missing = [q.code for q in added if q.code not in answered]
    extra = [code for code in checked if code not in {q.code for q in added}]
    if missing or extra:
        raise AssessmentError(_("Answer every new question, and only those."))
    user, actor = who(by)
    if not Assessment.objects.filter(pk=assessment.pk, version=old.version).update(
            version=new.version, upgraded_from=old.version, **stamp(actor, now)):
        raise AssessmentError(_("This assessment was moved to the new version already."),
                              "conflict")
    Answer.objects.bulk_create([Answer(assessment=assessment, question=q.code,
                                       **stored(answered[q.code]),
                                       **stamp(actor, now, created=True))
                                for q in added])
    assessment.refresh_from_db()
    all_levels = selectors.levels_of(assessment)
    absent, unknown = selectors.not_applicable_of(assessment), selectors.dont_know_of(assessment)
    scores = scoring.score(new, all_levels, absent)
    assessment.area_scores.all().delete()
    AreaScore.objects.bulk_create([AreaScore(assessment=assessment, area=code, score=value)
                                   for code, value in scores.areas.items()])
    Assessment.objects.filter(pk=assessment.pk).update(overall_score=scores.overall)
    start = assessment.actions.aggregate(last=Max("position"))["last"] or 0
    fresh = {q.code for q in added}
    Action.objects.bulk_create([
        Action(assessment=assessment, question=item.question.code, area=item.question.area,
               level=item.level, position=start + n, critical_gap=item.critical_gap,
               priority=item.priority, **stamp(actor, now, created=True))
        for n, item in enumerate((i for i in plans.plan(new, all_levels, absent, unknown)
                                  if i.question.code in fresh), 1)])
    for label in assessment.labels.select_related("institution"):
        audit(by, now, AuditEntry.Action.UPDATE, LABELS, label_key(label),
              {"framework_version": (label.framework_version, new.version)})
    assessment.labels.update(framework_version=new.version, **stamp(actor, now))
    audit(by, now, AuditEntry.Action.UPDATE, TABLE, key(assessment), {
        "version": (old.version, new.version),
        **{code: (None, checked[code]) for code in fresh},
        "overall_score": (None, round(scores.overall, 1))})
    assessment.refresh_from_db()
    return assessment
