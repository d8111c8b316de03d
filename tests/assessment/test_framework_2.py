"""Framework 2.0: its content against issue 14, the keys it adds, and its migration from 1.1."""

import copy
import re

import pytest

from ictmonitor.assessment import factsheets, framework
from ictmonitor.assessment.framework import FrameworkError
from tests.assessment.test_framework import minimal, q0, text, write

FRAMEWORK_ID = "ictmonitor-online-safety"
# 1.1's six questions that asked two things, and the two questions each became.
SPLITS = {
    "infra-firewall": ("infra-firewall-present", "infra-firewall-management"),
    "policy-reporting": ("policy-board-oversight", "policy-parent-information"),
    "practice-hate-speech": ("practice-hate-speech-response", "practice-hate-speech-education"),
    "practice-copyright": ("practice-copyright-staff", "practice-source-use"),
    "practice-radicalisation": ("practice-radicalisation-signs",
                                "practice-radicalisation-response"),
    "policy-data-breaches": ("policy-data-breaches", "policy-data-breach-reporting"),
}
# The controls issue 14 found missing for 2026, and the Flemish legal ground.
NEW_TOPICS = ("infra-security-logging", "infra-cloud-tenant", "infra-email-authentication",
              "infra-web-filtering", "infra-monitoring", "policy-board-oversight",
              "policy-continuity", "policy-cyber-insurance", "practice-grooming",
              "policy-data-protection-officer", "policy-data-breach-reporting",
              "policy-smartphone-ban", "policy-incident-contacts")
NEW_FACTSHEETS = ("data-protection", "ai-at-school", "logging", "cloud-tenants",
                  "email-authentication", "filtering-and-monitoring")


@pytest.fixture(scope="module")
def v2():
    return framework.get(FRAMEWORK_ID, "2.0")


@pytest.fixture(scope="module")
def v11():
    return framework.get(FRAMEWORK_ID, "1.1")


def everything(question):
    """Every text of a question in both languages, as one string."""
    parts = [question.text, question.help, question.why,
             *(a.text for a in question.answers), *(a.action for a in question.answers)]
    parts += [t for t in (question.guidance, question.not_applicable) if t is not None]
    return " ".join(f"{t.nl} {t.en}" for t in parts)


# -- content --

def test_each_double_question_of_1_1_is_split_in_two_that_its_answers_move_to(v2, v11):
    for old, parts in SPLITS.items():
        move = v2.migration.move(old)
        assert tuple(t.question for t in move.targets) == parts, old
        for code in parts:
            assert v2.question(code).area == v11.question(old).area


def test_the_missing_controls_and_the_flemish_ground_are_asked(v2):
    for code in NEW_TOPICS:
        assert v2.question(code).kind, code
    assert "Vlaamse Toezichtcommissie" in v2.question("policy-data-breach-reporting").text.nl
    assert "1 september 2025" in v2.question("policy-smartphone-ban").help.nl
    contacts = v2.question("policy-incident-contacts").text.en
    assert all(name in contacts for name in ("data protection officer", "Vlaamse "
                                             "Toezichtcommissie", "CCB", "police", "1712",
                                             "Institute for the Equality of Women and Men"))


def test_no_answer_sends_a_flemish_school_to_the_federal_authority(v2):
    for question in v2.questions:
        found = everything(question)
        if "Gegevensbeschermingsautoriteit" in found or "Data Protection Authority" in found:
            assert "VTC" in found and ("niet aan" in found or "instead of" in found), \
                question.code
    assert not any("AVG vereist" in everything(q) or "GDPR requires" in everything(q)
                   for q in v2.questions)


def test_every_question_has_a_fact_sheet_or_guidance_and_says_what_kind_it_is(v2):
    for question in v2.questions:
        assert question.factsheets or question.guidance, question.code
        assert question.kind in ("technical", "process"), question.code


def test_modules_only_help_with_technical_questions(v2):
    for question in v2.questions:
        if question.kind == "process":
            assert question.modules == (), question.code
    for code in ("infra-restore-tests", "practice-phishing-awareness",
                 "policy-ransomware-readiness"):  # processes a module does not close
        assert v2.question(code).modules == ()


def test_ddos_has_a_level_for_knowing_there_is_no_protection(v2):
    answers = v2.question("infra-ddos").answers
    assert "no protection" in answers[0].text.en and "no protection" in answers[1].text.en


def test_a_yearly_review_is_not_the_top_of_most_scales(v2):
    yearly = re.compile(r"every year|once a year|yearly")
    tops = [q.answer(3).text.en for q in v2.questions]
    assert sum(bool(yearly.search(t)) for t in tops) < len(tops) / 3
    assert "checks in practice" in v2.levels[3].description.en


def test_not_applicable_names_its_condition_where_a_school_may_lack_the_thing(v2):
    assert "no servers on site" in v2.question("infra-server-network").not_applicable.en
    assert v2.question("infra-site-links").not_applicable is not None
    assert v2.question("infra-mfa").not_applicable is None  # every school has accounts
    assert not any(q.critical and q.allows_not_applicable for q in v2.questions)


def test_controls_are_cyberfundamentals_numbers(v2):
    numbered = [q for q in v2.questions if q.controls]
    assert len(numbered) >= 30
    assert v2.question("infra-mfa").controls == ("PR.AC-1", "PR.AC-7")
    assert v2.question("infra-backups").controls == ("PR.IP-4",)
    assert v2.question("practice-sextortion").controls == ()  # no CyberFundamentals control


def test_the_new_fact_sheets_exist_with_a_review_date(v2):
    named = {s for q in v2.questions for s in q.factsheets}
    assert set(NEW_FACTSHEETS) <= named
    for code in factsheets.all_codes():
        for language in factsheets.LANGUAGES:
            assert factsheets.load(code, language).last_reviewed.year >= 2026


# -- migration --

def test_the_migration_accounts_for_every_1_1_question(v2, v11):
    assert v2.migration.source == "1.1"
    assert {m.source for m in v2.migration.moves} == {q.code for q in v11.questions}


def test_a_1_1_answer_set_migrates_with_every_mapped_answer_kept(v2, v11):
    answers = {q.code: 2 for q in v11.questions}
    answers.update({"infra-firewall": 1, "infra-ddos": 3, "policy-own-devices": 3})
    moved = framework.migrate_answers(v11, v2, answers)
    reached = {t.question for m in v2.migration.moves for t in m.targets}
    assert set(moved.levels) == reached
    assert moved.levels["infra-firewall-present"] == 1
    assert moved.levels["infra-firewall-management"] == 0  # "nobody manages it"
    assert moved.levels["infra-ddos"] == 2  # the new top asks a tried-out fallback
    assert (moved.levels["policy-own-devices"], moved.levels["policy-smartphone-ban"]) == (3, 1)
    assert moved.origins["practice-source-use"] == ("practice-copyright",)
    assert moved.removed == ()
    fresh = set(moved.fresh)
    assert {"infra-security-logging", "practice-grooming", "policy-incident-contacts"} <= fresh
    assert fresh.isdisjoint(moved.levels)


def test_a_1_0_answer_set_migrates_through_the_1_1_codes(v2):
    old = framework.get(FRAMEWORK_ID, "1.0")
    moved = framework.migrate_answers(old, v2, {q.code: 3 for q in old.questions})
    assert moved.levels["infra-mfa"] == 3 and "policy-deepfake-response" not in moved.levels


def test_marks_move_with_their_answer_and_the_lowest_answer_wins(v2, v11):
    moved = framework.migrate_answers(v11, v2, {"infra-remote-access": "dont-know",
                                                "infra-server-network": "not-applicable"})
    assert moved.levels == {"infra-remote-access": "dont-know", "infra-site-links": "dont-know",
                            "infra-server-network": "not-applicable"}
    newer = copy.deepcopy(v2.migration)
    assert framework.migrate_answers(v2, v2, {"infra-mfa": 2}).levels == {"infra-mfa": 2}
    assert newer == v2.migration


def test_within_a_major_version_answers_move_by_code(v11):
    old = framework.get(FRAMEWORK_ID, "1.0")
    moved = framework.migrate_answers(old, v11, {"infra-mfa": 2, "infra-wifi": 1})
    assert moved.levels == {"infra-mfa": 2, "infra-wifi": 1}
    assert set(moved.fresh) == {q.code for q in framework.new_questions(old, v11)}


# -- validation of the keys 2.0 adds --

def major(data=None):
    """A minimal 2.0 file migrating from a minimal 1.0 one."""
    data = data or minimal()
    data["version"] = "2.0"
    for area in data["areas"]:
        for question in area["questions"]:
            question.update(kind="technical")
    data["migration"] = {"from": "1.0", "questions": [{"from": "a-one", "to": ["a-one"]},
                                                      {"from": "a-two", "to": ["a-two"]}]}
    return data


def test_a_valid_2_0_file_loads_with_its_new_keys(tmp_path):
    data = major()
    q0(data).update(controls=["PR.AC-1"], guidance=text("g"),
                    not_applicable=text("no servers"))
    data["migration"]["questions"][1]["to"] = [{"question": "a-one", "levels": [0, 0, 1, 2]}]
    loaded = framework.load(write(tmp_path, data))
    assert loaded.question("a-one").controls == ("PR.AC-1",)
    assert loaded.question("a-one").not_applicable.en == "no servers"
    assert loaded.migration.move("a-two").targets[0].levels == (0, 0, 1, 2)


BROKEN_2 = [
    (lambda d: q0(d).update(controls=["PR.AC1"]),
     "areas[0].questions[0].controls[0]: expected a CyberFundamentals control such as "
     "'PR.AC-1', found 'PR.AC1'"),
    (lambda d: q0(d).update(kind="policy"),
     "areas[0].questions[0].kind: expected technical or process, found 'policy'"),
    (lambda d: q0(d).update(kind="process"),
     "areas[0].questions[0].modules: a process question links no module"),
    (lambda d: q0(d).pop("kind"), "areas[0].questions[0]: missing 'kind'"),
    (lambda d: q0(d).update(factsheets=[]),
     "areas[0].questions[0]: give a fact sheet or a 'guidance' text"),
    (lambda d: q0(d).update(not_applicable={"nl": "x"}),
     "areas[0].questions[0].not_applicable: missing translation 'en'"),
    (lambda d: q0(d).update(critical=True, not_applicable=text("never")),
     "areas[0].questions[0].not_applicable: a critical question applies to every school"),
    (lambda d: d["migration"]["questions"][0].update(to=["a-nine"]),
     "migration.questions[0].to[0]: no question 'a-nine' in this version"),
    (lambda d: d["migration"]["questions"][0].update(
        to=[{"question": "a-one", "levels": [0, 1, 4, 3]}]),
     "migration.questions[0].to[0].levels[2]: expected a level from 0 to 3, found 4"),
    (lambda d: d["migration"]["questions"][0].update(
        to=[{"question": "a-one", "levels": [0, 1, 2]}]),
     "migration.questions[0].to[0].levels: expected 4 levels (one per old level 0–3), found 3"),
    (lambda d: d["migration"]["questions"][0].update(removed=text("gone")),
     "migration.questions[0]: 'a-one': give either 'to' or 'removed' (a reason)"),
    (lambda d: d["migration"]["questions"].append({"from": "a-one", "to": ["a-one"]}),
     "migration.questions[2].from: 'a-one' is listed twice"),
    (lambda d: d["migration"].update({"from": "2.0"}),
     "migration.from: '2.0' is not an older major version than 2.0"),
    (lambda d: d["migration"].update(extra=1), "migration.extra: unknown key"),
]


@pytest.mark.parametrize(("breaks", "problem"), BROKEN_2)
def test_a_broken_2_0_file_is_refused_naming_the_place(tmp_path, breaks, problem):
    data = major()
    breaks(data)
    with pytest.raises(FrameworkError) as caught:
        framework.load(write(tmp_path, data))
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_a_new_major_version_must_account_for_every_question_before_it(tmp_path):
    write(tmp_path, minimal(), "t-1.0.yaml")
    data = major()
    data["migration"]["questions"].pop()
    data["migration"]["questions"].append({"from": "a-ghost", "removed": text("gone")})
    write(tmp_path, data, "t-2.0.yaml")
    with pytest.raises(FrameworkError) as caught:
        framework.load_all(tmp_path)
    assert [p.split(": ", 1)[1] for p in caught.value.problems] == [
        "migration: question a-two of 1.0 is not accounted for (move it with 'to' or list it "
        "as 'removed')",
        "migration: 'a-ghost' is not a question of 1.0"]
    framework.clear_cache()


def test_a_new_major_version_without_a_migration_is_refused(tmp_path):
    write(tmp_path, minimal(), "t-1.0.yaml")
    data = major()
    del data["migration"]
    write(tmp_path, data, "t-2.0.yaml")
    with pytest.raises(FrameworkError, match="a new major version declares how the answers"):
        framework.load_all(tmp_path)
    framework.clear_cache()


def test_a_removed_question_is_listed_with_its_reason_and_its_answer_dropped(tmp_path):
    old = framework.load(write(tmp_path, minimal(), "t-1.0.yaml"))
    data = major()
    data["migration"]["questions"][1] = {"from": "a-two", "removed": text("merged")}
    new = framework.load(write(tmp_path, data, "t-2.0.yaml"))
    moved = framework.migrate_answers(old, new, {"a-one": 2, "a-two": 3})
    assert moved.levels == {"a-one": 2} and moved.removed == ("a-two",)
    assert moved.fresh == ("a-two",)  # kept in 2.0 with a new meaning: answered anew


def test_a_fact_sheet_needs_a_past_review_date(tmp_path):
    (tmp_path / "x.nl.md").write_text("---\ntitle: T\nsummary: S\n---\nBody\n")
    with pytest.raises(factsheets.FactSheetError, match="needs 'last_reviewed' as a date"):
        factsheets.load("x", "nl", tmp_path)
    (tmp_path / "x.nl.md").write_text("---\ntitle: T\nsummary: S\nlast_reviewed: 2999-01-01\n"
                                      "---\nBody\n")
    with pytest.raises(factsheets.FactSheetError, match="2999-01-01 is in the future"):
        factsheets.load("x", "nl", tmp_path)
