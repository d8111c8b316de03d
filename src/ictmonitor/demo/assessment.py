"""The demo's online-safety self-assessments, action plans and labels (seeds 001 and 004), on the
demo's invented schools only.

Two parts. A carry-over file (contracts/labels.md) of the earlier eSafety Label programme: the
seed's 116 labelled institutions, spread over the provinces as it says (Antwerpen 27, Limburg 9,
Oost-Vlaanderen 31, Vlaams-Brabant 18, West-Vlaanderen 31), all valid on LABELS_AT, plus the
pilot schools' labels that had lapsed by then; it is loaded through the importer. And recent
assessments for about one institution in twelve, through the services: most submitted (with
their plan worked through in part), some still in progress, some in a second cycle, the older
ones on version 1.0 or 1.1, new ones on 2.0; the demo school holds a label on 1.1 and has
started its next assessment on 2.0 from its migrated answers. Answers follow a school's
maturity, with the seeds' weak spots: support, training, and fewer than half with an incident
procedure. The same seed and scale give the same data; a second run adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.utils import timezone

from ictmonitor.assessment import framework, scoring, services
from ictmonitor.assessment.models import Action, Assessment
from ictmonitor.assessment.selectors import FRAMEWORK_ID, announcement, staff_questions
from ictmonitor.assessment.services import staff
from ictmonitor.core.safecsv import csv_writer
from ictmonitor.demo.numbering import largest_remainder
from ictmonitor.demo.users import demo_school
from ictmonitor.registry.models import Institution

ACTOR = "demo (ictmonitor demo)"
LABELS_FILE = "esafety-labels.csv"
LABELS_AT = date(2016, 4, 1)  # the seed's answer: 116 institutions held the label
SEED_LABELS = {"antwerpen": 27, "limburg": 9, "oost-vlaanderen": 31, "vlaams-brabant": 18,
               "west-vlaanderen": 31}
PILOTS = 12  # pilot schools of 2013-2014 whose label lapsed before LABELS_AT
LEVELS = ("basis", "secundair", "volwassenen")
SHARE = 1 / 12  # institutions that assess themselves on the new platform
MOST = 400  # ... but no more than Flanders' share: a world-sized demo stays quick to load
DRAFT_SHARE = 0.2
SECOND_CYCLE_SHARE = 0.3
UPGRADED_SHARE = 0.4
OWNERS = ("ICT-coördinator", "directie", "preventieadviseur", "zorgcoördinator",
          "ICT-partner", "beleidsmedewerker")
# How far a question tends to sit below (−) or above (+) a school's maturity.
WEAK = {"policy-staff-training": -1.0, "policy-staff-support": -0.8,
        "policy-incident-handling": -0.9, "policy-data-breaches": -0.6,
        "infra-restore-tests": -0.6, "policy-ransomware-readiness": -0.7,
        "practice-parent-awareness": -0.4, "infra-access-to-technology": 0.6,
        "policy-software-licences": 0.6, "policy-online-presence": 0.7, "policy-review": -0.5}

Progress = Callable[[int, int], None]


@dataclass
class AssessmentDemo:
    """What was made: assessments submitted and in progress, labels awarded."""

    submitted: int = 0
    drafts: int = 0
    labels: int = 0

    def summary(self) -> str:
        """One line for the demo command's output."""
        return (f"Online safety: {self.submitted:,} submitted assessments, {self.drafts:,} in "
                f"progress, {self.labels:,} labels awarded")


def write_label_file(output: Path, *, scale: float, seed: int) -> Path:
    """The carry-over file of the eSafety Label programme on the demo's own schools."""
    rng = random.Random(seed * 1_000_003 + 4)
    wanted = SEED_LABELS if scale >= 1 else largest_remainder(
        max(len(SEED_LABELS), round(116 * scale)), SEED_LABELS)
    rows: list[tuple[str, str, str, str]] = []
    pilots: list[str] = []
    for province, count in wanted.items():
        found = list(Institution.objects.filter(province_id=province, level__in=LEVELS)
                     .order_by("number").values_list("number", flat=True))
        chosen = rng.sample(found, min(count, len(found)))
        for number in chosen:
            # Awarded between 18 months before LABELS_AT and LABELS_AT: valid on that day.
            awarded = LABELS_AT - timedelta(days=rng.randrange(0, 540))
            level = rng.choices(("bronze", "silver", "gold"), (6, 3, 1))[0]
            rows.append((number, level, awarded.isoformat(), ""))
        pilots += rng.sample(chosen, min(2, len(chosen)))
    for number in rng.sample(pilots, min(PILOTS, len(pilots))):
        awarded = date(2013, 9, 1) + timedelta(days=rng.randrange(0, 270))
        rows.append((number, "bronze", awarded.isoformat(), ""))
    rows.sort()
    path = output / LABELS_FILE
    output.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv_writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(["schoolnummer", "level", "awarded_on", "valid_until"])
        writer.writerows(rows)
    return path


def _moment(day: date, rng: random.Random) -> datetime:
    """A working-hours moment on a day, in Brussels."""
    return datetime.combine(day, time(8 + rng.randrange(9), rng.randrange(60)),
                            tzinfo=timezone.get_current_timezone())


def _levels(fw: framework.Framework, maturity: float, rng: random.Random,
            labelled: bool = False) -> dict[str, int]:
    """Answers around a maturity (0–3) with the seeds' weak spots; `labelled`: bronze at least."""
    levels = {q.code: max(0, min(3, round(maturity + WEAK.get(q.code, 0.0)
                                         + rng.gauss(0, 0.7)))) for q in fw.questions}
    while labelled and scoring.earned_label(fw, levels, 0) is None:
        levels = {code: min(3, level + 1) for code, level in levels.items()}
    return levels


def _work_plan(assessment: Assessment, share: float, rng: random.Random, today: date) -> None:
    """Give the plan's actions owners and due dates, and mark a share of them done."""
    actions = list(assessment.actions.order_by("position"))
    done = set(rng.sample(range(len(actions)), round(share * len(actions))))
    for n, action in enumerate(actions):
        action.owner = rng.choice(OWNERS)
        action.due_on = today + timedelta(days=rng.randrange(-60, 240))
        action.status = (Action.Status.DONE if n in done else
                         rng.choice((Action.Status.TODO, Action.Status.DOING)))
        action.done_on = action.due_on if n in done else None
    Action.objects.bulk_update(actions, ["owner", "due_on", "status", "done_on"])


def _cycle(school: Institution, fw: framework.Framework, day: date, maturity: float,
           rng: random.Random, made: AssessmentDemo, *, submit: bool = True,
           labelled: bool = False) -> Assessment:
    """One assessment of a school: started a few weeks before `day`, submitted on it."""
    started = _moment(day - timedelta(days=rng.randrange(5, 40)), rng)
    assessment = services.start_assessment(school, by=ACTOR, now=started, framework=fw)
    levels = _levels(fw, maturity, rng, labelled)
    if not submit:  # in progress: part of the questions answered
        keep = rng.randrange(len(levels) // 4, len(levels))
        levels = dict(list(levels.items())[:keep])
    services.save_answers(assessment, levels, by=ACTOR, now=started)
    if not submit:
        made.drafts += 1
        return assessment
    outcome = services.submit_assessment(assessment, by=ACTOR, confirm_unanswered=True,
                                         now=_moment(day, rng))
    made.submitted += 1
    made.labels += outcome.label is not None
    return outcome.assessment


def load_assessments(*, seed: int, progress: Progress | None = None) -> AssessmentDemo:
    """Assessments, plans and labels for a share of the demo's schools; nothing if made before."""
    made = AssessmentDemo()
    if Assessment.objects.filter(changed_by=ACTOR).exists():
        return made
    rng = random.Random(seed * 1_000_003 + 5)
    old, middle = framework.get(FRAMEWORK_ID, "1.0"), framework.get(FRAMEWORK_ID, "1.1")
    new = framework.get(FRAMEWORK_ID)
    today = timezone.localdate()
    released = today - timedelta(days=180)  # version 1.1 came out half a year ago
    major = today - timedelta(days=30)  # ... and version 2.0 a month ago

    def version_on(day: date) -> framework.Framework:
        return new if day >= major else middle if day >= released else old

    everyone = list(Institution.objects.filter(level__in=LEVELS).order_by("number")
                    .values_list("pk", flat=True))
    count = min(MOST, max(1, round(len(everyone) * SHARE)))
    coordinator = demo_school()
    chosen = rng.sample(everyone, min(count, len(everyone)))
    by_pk = Institution.objects.in_bulk(chosen)
    schools = [by_pk[pk] for pk in chosen]
    if coordinator is not None:
        schools = [coordinator, *[s for s in schools if s.pk != coordinator.pk]]
    # Every so many a school still in progress, at least one.
    drafts = set(rng.sample(range(1, len(schools)), min(len(schools) - 1, max(
        1, round(len(schools) * DRAFT_SHARE))))) if len(schools) > 1 else set()
    for n, school in enumerate(schools, 1):
        maturity = 1.0 + 1.6 * rng.betavariate(2.5, 2.5)
        if school == coordinator:  # a label on 1.1, the next assessment on 2.0 started
            done = _cycle(school, middle, major - timedelta(days=60), 1.9, rng, made,
                          labelled=True)
            _work_plan(done, 0.3, rng, today)
            services.generate_document(school, "acceptable-use", by=ACTOR,
                                       now=_moment(major - timedelta(days=50), rng))
            draft = services.start_assessment(school, by=ACTOR, framework=new,
                                              now=_moment(today - timedelta(days=3), rng))
            _evidence(draft, new, today, rng)
            _staff_replies(draft, new, rng)
            made.drafts += 1
        elif n - 1 in drafts:
            _cycle(school, new, today, maturity, rng, made, submit=False)
        else:
            day = today - timedelta(days=rng.randrange(20, 700))
            first = _cycle(school, version_on(day), day, maturity, rng, made)
            _work_plan(first, rng.uniform(0.2, 0.95), rng, today)
            second_day = day + timedelta(days=rng.randrange(370, 430))
            if second_day < today and rng.random() < SECOND_CYCLE_SHARE:
                later = _cycle(school, version_on(second_day), second_day,
                               min(3.0, maturity + 0.4), rng, made)
                _work_plan(later, rng.uniform(0.1, 0.6), rng, today)
            _maybe_upgrade(school, rng)
        if progress:
            progress(n, len(schools))
    return made


STAFF_REPLIES = 7  # shown beside the school's answers from five on


def _staff_replies(draft: Assessment, fw: framework.Framework, rng: random.Random) -> None:
    """The demo school's staff answered the practice questions through its link, anonymously,
    some of them more sceptical than the coordinator."""
    survey = staff.open_survey(draft, by=ACTOR)
    questions = staff_questions(fw)
    for _ in range(STAFF_REPLIES):
        answers: dict[str, int | str] = {}
        for question in questions:
            roll = rng.random()
            answers[question.code] = ("dont-know" if roll < 0.1
                                      else min(3, max(0, round(rng.gauss(1.6, 0.8)))))
        staff.record_reply(survey, answers)


REVIEWER = "schoolbestuur (ictmonitor demo)"
# The demo school's evidence: (question, comment, evidence text, link) on every critical
# question and a few others; invented, and never naming a pupil.
EVIDENCE = (
    ("policy-responsible-person", "Taak opgenomen in de functiebeschrijving.",
     "Besluit van de directie over de ICT-verantwoordelijke", "https://example.org/besluit"),
    ("policy-acceptable-use", "", "Afsprakennota ICT-gebruik, goedgekeurd door de schoolraad",
     "https://example.org/afsprakennota"),
    ("policy-incident-handling", "Contactblad ingevuld met DPO, VTC en CCB.",
     "Incidentprocedure, versie van dit schooljaar", "https://example.org/incidentprocedure"),
    ("infra-backups", "", "Overzicht van de back-uptaken van de NAS",
     "https://example.org/back-ups"),
    ("infra-restore-tests", "De laatste hersteltest liep vlot.",
     "Verslag van de hersteltest van de leerlingenadministratie",
     "https://example.org/hersteltest"),
    ("infra-mfa", "", "Instellingen van de Microsoft 365-tenant: MFA voor alle accounts",
     "https://example.org/mfa"),
    ("practice-cyberbullying", "Enkel in de derde graad; volgend jaar in elke graad.", "", ""),
    ("infra-wifi", "Het gastnetwerk is apart sinds de zomer.", "", ""),
)


def _evidence(draft: Assessment, fw: framework.Framework, today: date,
              rng: random.Random) -> None:
    """Comments and evidence on the demo school's answers; the board accepted the first
    three and sent one back with a reason, the others await review."""
    known = {q.code for q in fw.questions}
    saved = []
    for code, comment, text, link in EVIDENCE:
        if code in known:
            saved.append(services.save_evidence(
                draft, code, comment=comment, text=text, link=link, by=ACTOR,
                now=_moment(today - timedelta(days=2), rng)))
    complete = [item for item in saved if item.complete]
    for item in complete[:3]:
        services.review_evidence(item, accept=True, by=REVIEWER,
                                 now=_moment(today - timedelta(days=1), rng))
    if len(complete) > 3:
        services.review_evidence(
            complete[3], accept=False, by=REVIEWER, now=_moment(today - timedelta(days=1), rng),
            reason="Het overzicht toont de taken, niet dat ze slagen: voeg het logboek van "
                   "de laatste maand toe.")


def _maybe_upgrade(school: Institution, rng: random.Random) -> None:
    """Some label holders on 1.0 have answered the questions 1.1 added."""
    news = announcement(school)
    if news is None or rng.random() >= UPGRADED_SHARE:
        return
    levels = {q.code: rng.randrange(0, 4) for q in news.questions}
    services.upgrade_assessment(news.assessment, levels, by=ACTOR)
