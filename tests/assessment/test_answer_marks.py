"""'Don't know' and 'not applicable' (framework 2.0): scores, plan, answers, pages, and a school's
next assessment starting from its 1.1 answers moved to 2.0."""

from fractions import Fraction

import pytest
from django.urls import reverse

from ictmonitor.assessment import plans, scoring, selectors, services
from ictmonitor.assessment.models import Answer
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

NO_SERVERS = "infra-server-network"  # may be "not applicable": no servers on site


@pytest.fixture(scope="module")
def v2():
    return version("2.0")


# -- pure: scores and plan --

def test_not_applicable_is_left_out_of_the_area_mean(v2):
    levels = every(v2, 3, **{NO_SERVERS.replace("-", "_"): 0})
    assert scoring.score(v2, levels).exact_areas["infrastructure"] < 100
    scores = scoring.score(v2, levels, not_applicable={NO_SERVERS})
    assert scores.exact_areas["infrastructure"] == 100 and scores.exact_overall == 100


def test_an_area_with_every_question_not_applicable_is_left_out_of_the_overall(v2):
    infra = {q.code for q in v2.area("infrastructure").questions}
    levels = {q.code: (0 if q.code in infra else 3) for q in v2.questions}
    scores = scoring.score(v2, levels, not_applicable=infra)
    assert "infrastructure" not in scores.exact_areas and scores.exact_overall == 100


def test_dont_know_scores_as_the_lowest_level_and_is_a_critical_gap(v2):
    levels = every(v2, 3, infra_mfa=0)  # "don't know" is stored at level 0
    assert scoring.critical_gaps(v2, levels) == ["infra-mfa"]
    assert scoring.earned_label(v2, levels, 1) is None


def test_the_plan_skips_not_applicable_and_flags_dont_know(v2):
    levels = every(v2, 3, infra_server_network=0, infra_mfa=0)
    found = plans.plan(v2, levels, not_applicable={NO_SERVERS}, unknown={"infra-mfa"})
    assert [(a.question.code, a.unknown, a.critical_gap) for a in found] == [
        ("infra-mfa", True, True)]


def test_without_marks_nothing_changes(v2):
    levels = every(v2, 2)
    assert scoring.score(v2, levels).exact_overall == Fraction(200, 3)


# -- services --

@pytest.fixture
def school(tmp_path, db):
    return import_schools(tmp_path, [("2101", "limburg", "basis")])["2101"]


@pytest.fixture
def coordinator(user_factory, school):
    return user_factory("coordinator", institutions=[school])


def test_marks_are_saved_scored_and_flagged(school, coordinator, v2):
    levels = every(v2, 3, infra_server_network="not-applicable", infra_mfa="dont-know")
    outcome = submitted(school, coordinator, levels)
    assessment = outcome.assessment
    assert selectors.marks_of(assessment) == {NO_SERVERS: "not-applicable",
                                              "infra-mfa": "dont-know"}
    assert Answer.objects.get(assessment=assessment, question="infra-mfa").level == 0
    assert outcome.scores.areas["policy"] == 100
    assert outcome.label is None  # a critical question at "don't know" is a gap
    plan = list(assessment.actions.values_list("question", flat=True))
    assert plan == ["infra-mfa"]  # no action for the question that does not apply
    entry = AuditEntry.objects.filter(table="assessment.assessment").latest("id")
    assert entry.changes["dont_know"] == [None, 1]
    assert entry.changes["not_applicable"] == [None, 1]


def test_not_applicable_is_refused_where_the_question_does_not_allow_it(school, coordinator):
    assessment = answered(school, coordinator, {})
    with pytest.raises(services.AssessmentError, match="infra-mfa"):
        services.save_answers(assessment, {"infra-mfa": "not-applicable"}, by=coordinator)
    with pytest.raises(services.AssessmentError):
        services.save_answers(assessment, {"infra-mfa": "maybe"}, by=coordinator)
    changed = services.save_answers(assessment, {"infra-mfa": "dont-know"}, by=coordinator)
    assert changed == {"infra-mfa": (None, "dont-know")}
    assert services.save_answers(assessment, {"infra-mfa": 2}, by=coordinator) == {
        "infra-mfa": ("dont-know", 2)}
    assert selectors.answers_of(assessment) == {"infra-mfa": 2}


def test_the_next_assessment_starts_from_1_1_answers_moved_to_2_0(school, coordinator, v2):
    old = version("1.1")
    first = submitted(school, coordinator, every(old, 2, infra_firewall=1, infra_ddos=3),
                      fw=old, when="2025-01-15").assessment
    second = services.start_assessment(school, by=coordinator, now=moment("2026-02-01"))
    assert (second.version, second.previous) == ("2.0", first)
    moved = selectors.levels_of(second)
    reached = {t.question for m in v2.migration.moves for t in m.targets}
    assert set(moved) == reached  # every mapped answer kept
    assert (moved["infra-firewall-present"], moved["infra-firewall-management"]) == (1, 0)
    assert (moved["practice-copyright-staff"], moved["practice-source-use"]) == (2, 2)
    assert moved["infra-ddos"] == 2
    changes = {c.question.code: c for c in selectors.changes(second)}
    assert changes["practice-grooming"].new and changes["infra-security-logging"].new
    assert not changes.get("infra-mfa")  # kept as it was: no change
    services.save_answers(second, {"infra-mfa": 3}, by=coordinator)
    mfa = next(c for c in selectors.changes(second) if c.question.code == "infra-mfa")
    assert (mfa.before, mfa.now, mfa.new) == (2, 3, False)
    entry = AuditEntry.objects.filter(table="assessment.assessment", action="create").latest("id")
    assert entry.changes["migrated_from"] == [None, "1.1"]
    assert entry.changes["answers_copied"] == [None, len(reached)]


# -- pages --

def test_the_answer_page_offers_dont_know_and_not_applicable_with_its_condition(
        client_for, school):
    coordinator = client_for("coordinator", institutions=[school])
    number = school.number
    coordinator.post(reverse("assessment:overview", args=[number]), {"action": "start"})
    page = coordinator.get(reverse("assessment:answers", args=[number]) + "?area=infrastructure")
    html = page.content.decode()
    assert f'name="{NO_SERVERS}" value="not-applicable"' in html
    assert 'name="infra-mfa" value="not-applicable"' not in html
    assert 'name="infra-mfa" value="dont-know"' in html
    assert "Weet ik niet" in html and "alleen als: De school heeft geen servers" in html
    saved = coordinator.post(reverse("assessment:answers", args=[number]),
                             {"area": "infrastructure", NO_SERVERS: "not-applicable",
                              "infra-mfa": "dont-know"}, HTTP_X_AUTOSAVE="1")
    assert saved.status_code == 200 and saved.json()["answered"] == 2
    draft = selectors.draft_of(school)
    assert selectors.answers_of(draft) == {NO_SERVERS: "not-applicable",
                                           "infra-mfa": "dont-know"}
    again = coordinator.get(reverse("assessment:answers", args=[number]) + "?area=infrastructure")
    assert 'value="not-applicable" checked' in again.content.decode()
    assert current().version == "2.0"


def test_the_plan_offers_modules_as_help_and_shows_guidance(client_for, school):
    coordinator = client_for("coordinator", institutions=[school])
    submitted(school, coordinator.user,
              every(current(), 3, infra_firewall_present=1, policy_board_oversight=1))
    page = coordinator.get(reverse("assessment:plan", args=[school.number])).content.decode()
    assert "Connectiviteitsmodule die helpt bij dit tekort" in page
    assert "dit tekort wegwerkt" not in page
    guidance = current().question("policy-board-oversight").guidance.nl
    assert "Leidraad" in page and guidance.split(".")[0] in page


def test_a_fact_sheet_page_says_when_it_was_last_reviewed(client):
    page = client.get(reverse("assessment:factsheet") + "?code=logging&lang=nl")
    assert "Laatst nagekeken op 6 december 2026" in page.content.decode()


def test_the_overview_says_the_answers_moved_and_lists_the_new_questions(client_for, school, v2):
    coordinator = client_for("coordinator", institutions=[school])
    old = version("1.1")
    submitted(school, coordinator.user, every(old, 2), fw=old, when="2025-01-15")
    coordinator.post(reverse("assessment:overview", args=[school.number]), {"action": "start"})
    page = coordinator.get(reverse("assessment:overview", args=[school.number])).content.decode()
    assert "Uw antwoorden op versie 1.1 zijn overgezet naar versie 2.0" in page
    assert "tot nu toe zijn 0 antwoorden veranderd" in page
    grooming = v2.question("practice-grooming")
    assert f"?area=practice#q-{grooming.code}" in page and grooming.text.nl in page
    assert "#q-infra-mfa" not in page  # kept as it was: not new


def test_the_incident_procedure_sends_data_breaches_to_the_vtc(school, coordinator):
    document = services.generate_document(school, "incident-handling", by=coordinator)
    for lang in ("nl", "en"):
        body = document.body(lang)
        assert "Vlaamse Toezichtcommissie (VTC)" in body and "1712" in body
        assert "Gegevensbeschermingsautoriteit" not in body
        assert "Data Protection Authority" not in body


def test_the_history_names_questions_of_older_versions_and_shows_marks(db):
    from django.template.loader import render_to_string

    from ictmonitor.assessment import presentation

    texts = presentation.question_texts("ictmonitor-online-safety", "en")
    assert texts["infra-firewall"] == version("1.1").question("infra-firewall").text.en
    assert texts["infra-mfa"] == current().question("infra-mfa").text.en
    data = {"assessments": [{"cycle": 1, "version": "2.0", "answers": [
        {"question": NO_SERVERS, "level": 0, "mark": "not-applicable"},
        {"question": "infra-mfa", "level": 2, "mark": ""}]}]}
    html = render_to_string("assessment/pdf/history.html", {
        "data": data, "questions": texts, "levels": {2: "In place"},
        "marks": presentation.mark_labels(), "institution": None, "titles": {}, "kinds": {}})
    assert "niet van toepassing" in html and "In place" in html
