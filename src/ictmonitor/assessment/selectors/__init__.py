"""Reads of the assessment app: assessments and their answers, progress, comparisons with
comparable schools, what changed since the last cycle, labels and announcements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.utils import timezone

from ictmonitor.assessment import framework, labels, plans, scoring
from ictmonitor.assessment.framework import (
    Framework,
    LabelRule,
    Question,
    new_questions,
    version_key,
)
from ictmonitor.assessment.models import (
    Action,
    Answer,
    AreaScore,
    Assessment,
    Evidence,
    Label,
    PolicyDocument,
    StaffSurvey,
)
from ictmonitor.core.translation import language
from ictmonitor.registry.selectors import INSTITUTION_PATHS, grouped

FRAMEWORK_ID = "ictmonitor-online-safety"
# A comparison with a group of schools is shown only when it holds at least this many others.
MIN_GROUP = 5
SUBMITTED = Assessment.Status.SUBMITTED


def current_framework() -> Framework:
    """The latest version of the shipped framework: new assessments use it."""
    return framework.get(FRAMEWORK_ID)


def level_titles(language: str) -> dict[str, str]:
    """The display name of every label level, by code: the framework's (Brons, Zilver, Goud)
    and the levels only carried over from an earlier programme (IJzer)."""
    titles = {code: title(language) for code, title in labels.CARRIED_OVER_TITLES.items()}
    titles.update({r.code: r.title.get(language) for r in current_framework().labels})
    return titles


def framework_of(assessment: Assessment) -> Framework:
    """The framework version an assessment is on."""
    return framework.get(assessment.framework, assessment.version)


def draft_of(institution: Any) -> Assessment | None:
    """The school's assessment in progress, if any."""
    found = Assessment.objects.filter(institution=institution,
                                      status=Assessment.Status.DRAFT).first()
    if found is not None:
        found.institution = institution
    return found


def end_of(day: date) -> datetime:
    """The first moment after a day, in the site's time zone."""
    return datetime.combine(day + timedelta(days=1), time.min,
                            tzinfo=timezone.get_current_timezone())


def latest_submitted(institution: Any, on: date | None = None) -> Assessment | None:
    """The school's most recently submitted assessment (on or before a day, when given)."""
    found = Assessment.objects.select_related("institution").filter(
        institution=institution, status=SUBMITTED)
    if on is not None:
        found = found.filter(submitted_at__lt=end_of(on))
    return found.order_by("-submitted_at", "-cycle").first()


def submitted(institution: Any) -> QuerySet[Assessment]:
    """The school's submitted assessments, newest first."""
    return (Assessment.objects.filter(institution=institution, status=SUBMITTED)
            .order_by("-submitted_at", "-cycle"))


def latest_assessments(on: date | None = None) -> QuerySet[Assessment]:
    """Each institution's latest submitted assessment (on or before a day, when given)."""
    mine = Q(status=SUBMITTED) if on is None else Q(status=SUBMITTED,
                                                    submitted_at__lt=end_of(on))
    newer = Assessment.objects.filter(mine, institution=OuterRef("institution"),
                                      submitted_at__gt=OuterRef("submitted_at"))
    return Assessment.objects.filter(mine).exclude(Exists(newer))


def levels_of(assessment: Assessment) -> dict[str, int]:
    """An assessment's answers as question code → level ("don't know" and "not applicable"
    are stored at level 0; marks_of tells them apart)."""
    return dict(assessment.answers.values_list("question", "level"))


def marks_of(assessment: Assessment) -> dict[str, str]:
    """The questions answered "don't know" or "not applicable": code → mark."""
    return dict(assessment.answers.exclude(mark="").values_list("question", "mark"))


def not_applicable_of(assessment: Assessment) -> set[str]:
    """The questions answered "not applicable" (left out of the scores and the plan)."""
    return {code for code, mark in marks_of(assessment).items()
            if mark == Answer.Mark.NOT_APPLICABLE}


def dont_know_of(assessment: Assessment) -> set[str]:
    """The questions answered "don't know" (scored as level 0, flagged in the plan)."""
    return {code for code, mark in marks_of(assessment).items()
            if mark == Answer.Mark.DONT_KNOW}


def answers_of(assessment: Assessment) -> dict[str, int | str]:
    """An assessment's answers as code → level 0–3, or the mark ("dont-know",
    "not-applicable") where one was chosen."""
    return {code: mark or level for code, level, mark in
            assessment.answers.values_list("question", "level", "mark")}


def actions_done(assessment: Assessment | None) -> tuple[int, int]:
    """(actions done, actions) of an assessment's plan; (0, 0) without one."""
    if assessment is None:
        return 0, 0
    counts = assessment.actions.aggregate(total=Count("pk"),
                                          done=Count("pk", filter=Q(status=Action.Status.DONE)))
    return counts["done"], counts["total"]


def previous_owners(assessment: Assessment | None) -> dict[str, str]:
    """Who owned each question's action in a plan, to carry into the next plan."""
    if assessment is None:
        return {}
    return dict(assessment.actions.exclude(owner="").values_list("question", "owner"))


@dataclass(frozen=True)
class AreaProgress:
    """How many of an area's questions are answered."""

    code: str
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        """Every question of the area is answered."""
        return self.answered == self.total


def progress(fw: Framework, levels: Mapping[str, object]) -> list[AreaProgress]:
    """Answered and total questions per area, in framework order."""
    return [AreaProgress(a.code, sum(1 for q in a.questions if q.code in levels),
                         len(a.questions)) for a in fw.areas]


@dataclass
class Comparison:
    """Comparable schools' mean scores: same level, same province, or all; shown from 5 on."""

    group: str
    schools: int
    areas: dict[str, float] = field(default_factory=dict)
    overall: float | None = None

    @property
    def shown(self) -> bool:
        """Whether the group is large enough to show (MIN_GROUP other schools)."""
        return self.schools >= MIN_GROUP


def comparisons(assessment: Assessment) -> list[Comparison]:
    """The mean scores of other schools' latest submitted assessments on the same framework."""
    school = assessment.institution
    others = latest_assessments().filter(framework=assessment.framework).exclude(
        institution=school)
    groups = [("level", others.filter(institution__level=school.level))]
    if school.province_id:
        groups.append(("province", others.filter(institution__province_id=school.province_id)))
    groups.append(("all", others))
    found = []
    for code, members in groups:
        comparison = Comparison(code, members.count())
        if comparison.shown:
            means = (AreaScore.objects.filter(assessment__in=members.values("pk"))
                     .values("area").annotate(mean=Avg("score")))
            comparison.areas = {row["area"]: row["mean"] for row in means}
            comparison.overall = members.aggregate(mean=Avg("overall_score"))["mean"]
        found.append(comparison)
    return found


@dataclass(frozen=True)
class Change:
    """A question whose answer differs from the previous cycle (None: not answered there),
    or that the previous cycle's version did not have (`new`)."""

    question: Question
    before: int | str | None
    now: int | str | None
    new: bool = False


def carried_answers(previous: Assessment, fw: Framework) -> framework.Migrated:
    """The previous assessment's answers moved to `fw`: by the migration `fw` declares when
    it is a new major version, else by question code."""
    return framework.migrate_answers(framework_of(previous), fw, answers_of(previous))


def changes(assessment: Assessment) -> list[Change]:
    """What changed since the assessment this one started from, in framework order: answers
    that differ from the previous ones (moved to this version), and questions new to it."""
    previous = assessment.previous
    if previous is None or previous.framework != assessment.framework:
        return []
    fw = framework_of(assessment)
    carried, now = carried_answers(previous, fw), answers_of(assessment)
    before = carried.levels
    fresh = set(carried.fresh)
    return [Change(q, before.get(q.code), now.get(q.code), q.code in fresh)
            for q in fw.questions if before.get(q.code) != now.get(q.code) or q.code in fresh]


def valid_labels(on: date) -> QuerySet[Label]:
    """Labels valid on a day: awarded by then, not past their validity, not revoked by then."""
    return Label.objects.filter(awarded_on__lte=on, valid_until__gte=on).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gte=end_of(on)))


def current_labels(on: date) -> QuerySet[Label]:
    """Each institution's one label that counts on a day: its latest valid one."""
    newer = valid_labels(on).filter(institution=OuterRef("institution"),
                                    awarded_on__gt=OuterRef("awarded_on"))
    return valid_labels(on).exclude(Exists(newer))


def current_label(institution: Any, on: date | None = None) -> Label | None:
    """The label the school holds on a day (today by default), if any."""
    on = on or timezone.localdate()
    return valid_labels(on).filter(institution=institution).order_by("-awarded_on").first()


def school_labels(institution: Any) -> QuerySet[Label]:
    """Every label of a school, newest first."""
    return (Label.objects.filter(institution=institution)
            .select_related("assessment", "revoked_by").order_by("-awarded_on"))


@dataclass(frozen=True)
class Announcement:
    """A newer framework version for a label holder: the questions to answer to move to it."""

    assessment: Assessment
    old: Framework
    new: Framework
    questions: tuple[Question, ...]


def renewal_notice(institution: Any, on: date | None = None) -> Label | None:
    """A valid label on an older version (or carried over from an earlier programme) whose
    holder the new-questions announcement does not reach: it renews with a new assessment."""
    label = current_label(institution, on)
    if label is None or draft_of(institution) is not None:
        return None
    if announcement(institution, on) is not None:
        return None
    if not label.carried_over and label.framework_version == current_framework().version:
        return None
    return label


def announcement(institution: Any, on: date | None = None) -> Announcement | None:
    """The newer minor version a label holder's latest assessment can move to, if any."""
    latest = latest_submitted(institution)
    label = current_label(institution, on)
    if latest is None or label is None or label.assessment_id != latest.pk:
        return None
    if draft_of(institution) is not None:
        return None
    old, new = framework_of(latest), current_framework()
    if old.id != new.id or version_key(new.version)[0] != version_key(old.version)[0]:
        return None
    if version_key(new.version) <= version_key(old.version):
        return None
    return Announcement(latest, old, new, new_questions(old, new))


def evidence_versions(assessment: Assessment) -> dict[str, list[Evidence]]:
    """Every version of the comment and evidence on each answer: code → newest first."""
    found: dict[str, list[Evidence]] = {}
    for item in assessment.evidence.order_by("question", "-number"):
        found.setdefault(item.question, []).append(item)
    return found


def current_evidence(assessment: Assessment) -> dict[str, Evidence]:
    """The current (newest) version of the comment and evidence on each answer."""
    return {code: versions[0] for code, versions in evidence_versions(assessment).items()}


def evidence_states(assessment: Assessment) -> dict[str, str]:
    """The review state (pending, accepted, returned) of each answer whose current evidence
    is complete (a text plus a document or a link), as the label rules take it."""
    return {code: item.review for code, item in current_evidence(assessment).items()
            if item.complete}


def label_checks(assessment: Assessment) -> list[scoring.RuleCheck]:
    """Every label rule checked against an assessment as it stands now: its answers, the
    share of the previous plan done, and its evidence and reviews."""
    return scoring.check_labels(framework_of(assessment), levels_of(assessment),
                                assessment.actions_done or 0.0, not_applicable_of(assessment),
                                evidence_states(assessment))


def awaiting_label(institution: Any, on: date | None = None) -> LabelRule | None:
    """The label the school's latest submitted assessment would earn once a reviewer accepts
    its evidence (as settle_label would award it then), else None: none when a label of that
    assessment was revoked, or when its answers are past the day a label could be renewed."""
    latest = latest_submitted(institution)
    if latest is None or latest.labels.filter(revoked_at__isnull=False).exists():
        return None
    fw = framework_of(latest)
    today = on or timezone.localdate()
    if latest.submitted_at is not None and today >= labels.renewable_from(
            timezone.localdate(latest.submitted_at), fw.renewable_after_months):
        return None
    return scoring.awaiting_review(label_checks(latest))


def plan_reached(previous: Assessment | None, assessment: Assessment) -> dict[str, bool | None]:
    """For each action of the previous plan (by question), whether this assessment shows the
    level it aimed at reached (None where that cannot be told)."""
    if previous is None or previous.framework != assessment.framework:
        return {}
    old, new = framework_of(previous), framework_of(assessment)
    answers = answers_of(assessment)
    return {code: plans.reached(old, new, code, level, answers)
            for code, level in previous.actions.values_list("question", "level")}


def share_reached(found: Mapping[str, bool | None]) -> tuple[int, int]:
    """(actions whose level was reached, actions that could be told) of a previous plan."""
    told = [value for value in found.values() if value is not None]
    return sum(told), len(told)


def previous_actions(assessment: Assessment | None) -> dict[str, Action]:
    """A plan's actions by question, to carry into the next plan."""
    if assessment is None:
        return {}
    return {action.question: action for action in assessment.actions.all()}


@dataclass(frozen=True)
class SchoolSafety:
    """A school's online safety at a glance: a draft in progress, its latest submitted
    assessment (when, the score per area and overall), the label it holds and its plan's
    progress (actions done of all, focus actions still open)."""

    draft: bool
    assessment: Assessment | None
    areas: dict[str, float]
    label: Label | None
    actions_done: int
    actions: int
    focus_open: int

    @property
    def overall(self) -> float | None:
        """The latest submitted assessment's overall score."""
        return self.assessment.overall_score if self.assessment is not None else None


def safety_of(institution_ids: Any, on: date | None = None) -> dict[int, SchoolSafety]:
    """Institution id → its online safety at a glance, for every id given (a few queries for
    any number of schools)."""
    on = on or timezone.localdate()
    ids = list(institution_ids)
    drafts = set(Assessment.objects.filter(institution_id__in=ids, status=Assessment.Status.DRAFT)
                 .values_list("institution_id", flat=True))
    latest = {a.institution_id: a for a in latest_assessments().filter(institution_id__in=ids)}
    areas: dict[int, dict[str, float]] = {}
    for assessment_id, area, score in AreaScore.objects.filter(
            assessment__in=[a.pk for a in latest.values()]).values_list(
            "assessment_id", "area", "score"):
        areas.setdefault(assessment_id, {})[area] = score
    counted = (Action.objects.filter(assessment__in=[a.pk for a in latest.values()])
               .order_by().values("assessment_id")
               .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=Action.Status.DONE)),
                         focus_open=Count("pk", filter=Q(focus=True)
                                          & ~Q(status=Action.Status.DONE))))
    plans_of: dict[int, dict[str, Any]] = {row["assessment_id"]: dict(row) for row in counted}
    held: dict[int, Label] = {}
    for label in current_labels(on).filter(institution_id__in=ids).order_by("awarded_on"):
        held[label.institution_id] = label
    found = {}
    for school in ids:
        assessment = latest.get(school)
        plan: dict[str, Any] = plans_of.get(assessment.pk, {}) if assessment is not None else {}
        found[school] = SchoolSafety(
            draft=school in drafts, assessment=assessment,
            areas=areas.get(assessment.pk, {}) if assessment is not None else {},
            label=held.get(school), actions_done=plan.get("done", 0),
            actions=plan.get("total", 0), focus_open=plan.get("focus_open", 0))
    return found


def area_titles(language: str) -> list[tuple[str, str]]:
    """The current framework's areas in order: (code, title in the language)."""
    return [(area.code, area.title.get(language)) for area in current_framework().areas]


def open_focus_actions(assessment: Assessment | None) -> list[tuple[Action, str]]:
    """The focus actions of an assessment's plan not done yet, in plan order, each with its
    question's text in the page's language."""
    if assessment is None:
        return []
    fw = framework_of(assessment)
    lang = language()
    questions = {q.code: q for q in fw.questions}
    return [(action, questions[action.question].text.get(lang)
             if action.question in questions else action.question)
            for action in assessment.actions.filter(focus=True)
            .exclude(status=Action.Status.DONE).order_by("position")]


def latest_documents(institution: Any) -> list[PolicyDocument]:
    """The newest version of each of the school's policy documents."""
    newer = PolicyDocument.objects.filter(institution=OuterRef("institution"),
                                          kind=OuterRef("kind"), number__gt=OuterRef("number"))
    return list(PolicyDocument.objects.filter(institution=institution)
                .exclude(Exists(newer)).order_by("kind"))


def schools_assessed(days: Sequence[date]) -> list[int]:
    """How many institutions had submitted an assessment by each day (one pass)."""
    counts = Assessment.objects.filter(status=SUBMITTED).aggregate(**{
        f"d{i}": Count("institution_id", distinct=True, filter=Q(submitted_at__lt=end_of(day)))
        for i, day in enumerate(days)})
    return [counts[f"d{i}"] for i in range(len(days))]


def schools_labelled(days: Sequence[date]) -> list[int]:
    """How many institutions held a valid label on each day (as `valid_labels`; one pass)."""
    counts = Label.objects.aggregate(**{
        f"d{i}": Count("institution_id", distinct=True, filter=Q(
            awarded_on__lte=day, valid_until__gte=day)
            & (Q(revoked_at__isnull=True) | Q(revoked_at__gte=end_of(day))))
        for i, day in enumerate(days)})
    return [counts[f"d{i}"] for i in range(len(days))]


# The reads of the assessment reports (reports/catalogue/assessment_*.py): grouped in the
# database; an assessment's province, level, network and board are its institution's.
REPORT_DECIMALS = 4
QUESTION_PATHS = {**{dim: f"assessment__institution__{path}"
                     for dim, path in INSTITUTION_PATHS.items()},
                  "question": "question", "version": "assessment__version"}
PAIR_PATHS = {**{dim: f"institution__{path}" for dim, path in INSTITUTION_PATHS.items()},
              "year": "year"}
PAIR_AREA_PATHS = {**{dim: f"assessment__institution__{path}"
                      for dim, path in INSTITUTION_PATHS.items()},
                   "area": "area", "year": "year"}
ENDED_LABEL_PATHS = {**{dim: f"institution__{path}" for dim, path in INSTITUTION_PATHS.items()},
                     "year": "end_year"}
ANSWER_LEVELS = ("share_level_0", "share_level_1", "share_level_2", "share_level_3")


def assessed_versions(on: date) -> list[str]:
    """The framework versions of the latest assessments by a day, oldest first."""
    found = (latest_assessments(on).filter(framework=FRAMEWORK_ID)
             .values_list("version", flat=True).distinct())
    return sorted(set(found), key=version_key)


def question_titles(codes: set[str], language: str) -> dict[str, str]:
    """Each question's text, from the newest framework version that has it."""
    found: dict[str, str] = {}
    for fw in sorted(framework.load_all(), key=lambda f: f.version_key, reverse=True):
        if fw.id != FRAMEWORK_ID:
            continue
        for question in fw.questions:
            if question.code in codes and question.code not in found:
                found[question.code] = question.text.get(language)
    return found


def _answer_counts() -> dict[str, Any]:
    marked = {"": Q(mark=""), "dont_know": Q(mark=Answer.Mark.DONT_KNOW),
              "not_applicable": Q(mark=Answer.Mark.NOT_APPLICABLE)}
    counts: dict[str, Any] = {f"level_{n}": Count("pk", filter=marked[""] & Q(level=n))
                              for n in range(4)}
    counts.update(dont_know=Count("pk", filter=marked["dont_know"]),
                  not_applicable=Count("pk", filter=marked["not_applicable"]),
                  answers=Count("pk"),
                  mean_level=Avg("level", filter=~marked["not_applicable"]),
                  institutions=Count("assessment__institution", distinct=True))
    return counts


def _shares(row: dict[str, Any]) -> dict[str, Any]:
    """A row of answer counts as the report's shares (of the answers in the row)."""
    answers = row.pop("answers") or 0
    for name in ("level_0", "level_1", "level_2", "level_3", "dont_know", "not_applicable"):
        count = row.pop(name) or 0
        row[f"share_{name}"] = round(count / answers, REPORT_DECIMALS) if answers else None
    if row.get("mean_level") is not None:
        row["mean_level"] = round(row["mean_level"], 2)
    return row


def question_levels(by: Sequence[str], on: date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The answers of each institution's latest assessment by a day, per question (or other
    dimensions): institutions, the share of answers at each level, "don't know" and "not
    applicable", and the mean level ("don't know" as 0, "not applicable" left out)."""
    latest = latest_assessments(on).filter(framework=FRAMEWORK_ID)
    answers = Answer.objects.filter(assessment__in=latest.values("pk"))
    rows = [_shares(row) for row in grouped(answers, QUESTION_PATHS, by, **_answer_counts())]
    totals = _shares(grouped(answers, QUESTION_PATHS, (), **_answer_counts())[0])
    return rows, totals


def _pairs(on: date, by: Sequence[str]) -> QuerySet[Assessment]:
    """Submitted assessments (by a day) that followed a submitted one of the same framework:
    each institution's latest, or with `year` its latest of each year."""
    mine = Q(status=SUBMITTED, submitted_at__lt=end_of(on))
    pairs = Assessment.objects.filter(mine, previous__status=SUBMITTED,
                                      previous__framework=F("framework"))
    if "year" not in by:
        return pairs.filter(pk__in=latest_assessments(on).values("pk"))
    pairs = pairs.annotate(year=ExtractYear("submitted_at"))
    newer = Assessment.objects.filter(mine, institution=OuterRef("institution"),
                                      submitted_at__gt=OuterRef("submitted_at"),
                                      submitted_at__year=OuterRef("year"))
    return pairs.exclude(Exists(newer))


def _ended_labels(on: date, by: Sequence[str]) -> list[dict[str, Any]]:
    """Labels whose validity ended before a day (not revoked): renewed when the school was
    awarded a newer one by the day it ended, else lapsed."""
    ended = Label.objects.filter(valid_until__lt=on, revoked_at__isnull=True)
    newer = Label.objects.filter(institution=OuterRef("institution"),
                                 awarded_on__gt=OuterRef("awarded_on"),
                                 awarded_on__lte=OuterRef("valid_until"))
    ended = ended.annotate(renewal=Exists(newer), end_year=ExtractYear("valid_until"))
    measures = {"renewed": Count("pk", filter=Q(renewal=True)),
                "lapsed": Count("pk", filter=Q(renewal=False))}
    return _report_years(grouped(ended, ENDED_LABEL_PATHS, by, **measures))


def _report_years(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Years as the stable text codes reports use (`2016`)."""
    for row in rows:
        if row.get("year") is not None:
            row["year"] = str(row["year"])
    return rows


def _changes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        if row.get("mean_change") is not None:
            row["mean_change"] = round(row["mean_change"], 1)
    return rows


def assessment_progress(by: Sequence[str], on: date) -> tuple[list[list[dict[str, Any]]],
                                                              dict[str, Any]]:
    """How schools moved from one assessment to the next, and whether they renewed their label:
    the grouped rows of the pairs (institutions, mean change of the score, per area with
    `area`) and, without `area`, of the labels that ended (renewed, lapsed); and the totals."""
    pairs = _pairs(on, by)
    overall = {"institutions": Count("institution", distinct=True),
               "mean_change": Avg(F("overall_score") - F("previous__overall_score"))}
    totals = _changes([grouped(_pairs(on, ()), PAIR_PATHS, (), **overall)[0]])[0]
    totals.update(_ended_labels(on, ())[0])
    if "area" not in by:
        return [_report_years(_changes(grouped(pairs, PAIR_PATHS, by, **overall))),
                _ended_labels(on, by)], totals
    before = AreaScore.objects.filter(assessment=OuterRef("assessment__previous"),
                                      area=OuterRef("area")).values("score")[:1]
    scores = AreaScore.objects.filter(assessment__in=pairs.values("pk")).annotate(
        before=Subquery(before)).filter(before__isnull=False)
    if "year" in by:
        scores = scores.annotate(year=ExtractYear("assessment__submitted_at"))
    rows = grouped(scores, PAIR_AREA_PATHS, by,
                   institutions=Count("assessment__institution", distinct=True),
                   mean_change=Avg(F("score") - F("before")))
    return [_report_years(_changes(rows))], totals


def labels_expiring(today: date, within_days: int) -> list[Label]:
    """Each institution's label that counts today and runs out within `within_days` days (on
    `today + within_days` at the latest), with its institution (notifications)."""
    return list(current_labels(today).filter(valid_until__lte=today + timedelta(days=within_days))
                .select_related("institution").order_by("valid_until", "pk"))


# More voices (issue 14, item 6): staff answer the practice questions anonymously; their
# replies are shown beside the school's own answers only from MIN_STAFF_REPLIES on.
MIN_STAFF_REPLIES = 5
STAFF_AREA = "practice"


def staff_questions(fw: Framework) -> tuple[Question, ...]:
    """The questions staff are asked: the practice area's."""
    return tuple(q for q in fw.questions if q.area == STAFF_AREA)


def staff_survey_of(assessment: Assessment) -> StaffSurvey | None:
    """The staff survey of an assessment, if one was opened."""
    return StaffSurvey.objects.filter(assessment=assessment).first()


def open_staff_survey(token: str) -> StaffSurvey | None:
    """The survey a link points to (open or closed), with its assessment and school."""
    return (StaffSurvey.objects.select_related("assessment", "assessment__institution")
            .filter(token=token).first())


@dataclass(frozen=True)
class StaffVoice:
    """Staff replies on one practice question: how many answered, the share of them at each
    level (0–3) and "don't know", and the mean level (don't know as 0, not applicable out)."""

    question: Question
    school: int | str | None
    answered: int
    shares: dict[str, float]
    mean: float | None


def staff_voices(assessment: Assessment) -> tuple[int, list[StaffVoice]]:
    """(replies, each practice question's staff answers beside the school's own answer); the
    list is empty below MIN_STAFF_REPLIES replies, so no one's answers can be told apart."""
    survey = staff_survey_of(assessment)
    replies = list(survey.replies.values_list("answers", flat=True)) if survey else []
    if len(replies) < MIN_STAFF_REPLIES:
        return len(replies), []
    own = answers_of(assessment)
    found = []
    for question in staff_questions(framework_of(assessment)):
        given = [reply[question.code] for reply in replies if question.code in reply]
        counted = [value for value in given if value != Answer.Mark.NOT_APPLICABLE]
        keys = ["0", "1", "2", "3", Answer.Mark.DONT_KNOW.value,
                Answer.Mark.NOT_APPLICABLE.value]
        shares = {key: sum(1 for v in given if str(v) == key) / len(given) if given else 0.0
                  for key in keys}
        levels = [0 if value == Answer.Mark.DONT_KNOW else int(value) for value in counted]
        found.append(StaffVoice(question, own.get(question.code), len(given), shares,
                                sum(levels) / len(levels) if levels else None))
    return len(replies), found


def school_documents(institution: Any) -> dict[str, int]:
    """Every evidence document a school keeps, by where it is kept: its size in bytes (a
    document several versions share counts once)."""
    return {path: size or 0 for path, size in Evidence.objects.filter(
        assessment__institution=institution).exclude(document_path="")
        .values_list("document_path", "document_size").distinct()}
