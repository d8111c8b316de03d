"""The online-safety frameworks and fact sheets: shipped content, loader and validation."""

import re

import pytest
import yaml

from ictmonitor.assessment import factsheets, framework
from ictmonitor.assessment.framework import FrameworkError

FRAMEWORK_ID = "ictmonitor-online-safety"
AREAS = ("infrastructure", "policy", "practice")
# topic → (question code, must be critical, modules that must be linked)
REQUIRED_TOPICS = {
    "incident handling": ("policy-incident-handling", True, ()),
    "staff training": ("policy-staff-training", False, ()),
    "staff support": ("policy-staff-support", False, ()),
    "pupil awareness": ("practice-pupil-awareness", False, ()),
    "parent awareness": ("practice-parent-awareness", False, ()),
    "acceptable-use policy": ("policy-acceptable-use", True, ()),
    "software licences": ("policy-software-licences", False, ()),
    "access to technology": ("infra-access-to-technology", False, ()),
    "online presence": ("policy-online-presence", False, ()),
    "backups 3-2-1": ("infra-backups", True, ("server-backup", "pc-backup")),
    "restore tests": ("infra-restore-tests", True, ("server-backup",)),
    "firewall": ("infra-firewall", False, ("firewall",)),
    "filtering": ("infra-web-filtering", False, ("web-protection",)),
    "separate server network": ("infra-server-network", False, ("server-network",)),
    "ddos protection": ("infra-ddos", False, ("ddos-protection",)),
    "wi-fi": ("infra-wifi", False, ("wifi",)),
    "backup line": ("infra-backup-line", False, ("backup-line",)),
    "mfa": ("infra-mfa", True, ()),
    "passwords": ("infra-passwords", False, ()),
    "patching": ("infra-patching", False, ()),
    "personal data (GDPR)": ("policy-personal-data", False, ()),
    "cyberbullying": ("practice-cyberbullying", False, ()),
    "sexting and nudes": ("practice-sexting", False, ()),
    "radicalisation and extremism": ("practice-radicalisation", False, ()),
    "hate speech": ("practice-hate-speech", False, ()),
    "device management": ("infra-device-management", False, ()),
    "accounts of leavers": ("policy-leavers", False, ()),
    "phishing awareness": ("practice-phishing-awareness", False, ()),
    "ransomware readiness": ("policy-ransomware-readiness", False, ()),
    "named person responsible": ("policy-responsible-person", True, ()),
    "reporting to parents and board": ("policy-reporting", False, ()),
    "copyright": ("practice-copyright", False, ()),
    "screen time and wellbeing": ("practice-wellbeing", False, ()),
    "safe use of AI tools": ("policy-ai-tools", False, ()),
}
NEW_IN_1_1 = ("policy-deepfake-response", "policy-payment-verification", "practice-deepfakes",
              "practice-sextortion")
REQUIRED_FACTSHEETS = ("sexting-and-nudes", "online-extremism-and-radicalisation", "hate-speech",
                       "cyberbullying", "ransomware", "phishing", "incident-handling", "backups",
                       "mfa", "acceptable-use-policy")


def texts_of(question):
    """Every text of a question, answers included."""
    return [question.text, question.help, question.why,
            *(a.text for a in question.answers), *(a.action for a in question.answers)]


# -- the shipped content --

def test_the_shipped_frameworks_load_and_validate():
    versions = [(f.id, f.version) for f in framework.load_all()]
    assert versions == [(FRAMEWORK_ID, "1.0"), (FRAMEWORK_ID, "1.1"), (FRAMEWORK_ID, "2.0")]


def test_version_1_0_has_three_areas_and_at_least_45_questions():
    first = framework.get(FRAMEWORK_ID, "1.0")
    assert tuple(a.code for a in first.areas) == AREAS
    assert len(first.questions) >= 45
    assert all(len(area.questions) >= 15 for area in first.areas)


@pytest.mark.parametrize("version", ["1.0", "1.1", "2.0"])
def test_every_question_has_four_answers_in_dutch_and_english(version):
    for question in framework.get(FRAMEWORK_ID, version).questions:
        assert [a.level for a in question.answers] == [0, 1, 2, 3], question.code
        for text in texts_of(question):
            assert text.nl and text.en and text.nl != text.en, question.code


@pytest.mark.parametrize("version", ["1.0", "1.1", "2.0"])
def test_the_dutch_says_je_or_de_school_never_u(version):
    formal = re.compile(r"\b[Uu]w?\b")
    for question in framework.get(FRAMEWORK_ID, version).questions:
        assert not [t.nl for t in texts_of(question) if formal.search(t.nl)], question.code


def test_level_3_actions_are_about_keeping_it_up():
    for question in framework.get(FRAMEWORK_ID).questions:
        action = question.answer(3).action
        assert action.nl.startswith("Blijf") and action.en.startswith("Keep"), question.code


@pytest.mark.parametrize(("topic", "code", "critical", "modules"),
                         [(t, *v) for t, v in REQUIRED_TOPICS.items()])
def test_the_required_topics_are_covered(topic, code, critical, modules):
    question = framework.get(FRAMEWORK_ID, "1.0").question(code)
    assert question.critical == critical, topic
    assert set(modules) <= set(question.modules), topic


def test_only_the_foundations_are_critical():
    critical = {q.code for q in framework.get(FRAMEWORK_ID).questions if q.critical}
    assert critical == {c for c, is_critical, _ in REQUIRED_TOPICS.values() if is_critical}


def test_every_connectivity_module_closes_some_gap():
    linked = {m for q in framework.get(FRAMEWORK_ID).questions for m in q.modules}
    assert linked == framework.module_codes()


def test_weights_and_label_rules_are_sane():
    for fw in framework.load_all():
        assert all(1 <= q.weight <= 3 for q in fw.questions)
        assert all(1 <= a.weight <= 3 for a in fw.areas)
        bronze, silver, gold = (fw.label(code) for code in ("bronze", "silver", "gold"))
        for key in ("min_area_score", "min_overall_score", "min_actions_done"):
            assert getattr(bronze, key) <= getattr(silver, key) <= getattr(gold, key)
        assert 0 <= bronze.min_area_score <= bronze.min_overall_score <= 100
        assert not gold.allow_critical_gaps
        assert (fw.validity_months, fw.renewable_after_months) == (18, 12)


def test_only_openly_licensed_sources_are_credited():
    licences = {s.licence for s in framework.get(FRAMEWORK_ID).attribution}
    assert licences <= {"Open Government Licence v3.0", "Apache-2.0",
                        "Public domain (work of the United States federal government)"}


def test_get_without_a_version_returns_the_latest():
    assert framework.get(FRAMEWORK_ID).version == "2.0"
    with pytest.raises(LookupError):
        framework.get(FRAMEWORK_ID, "9.9")


# -- versions --

def test_new_questions_lists_exactly_what_1_1_added():
    old, new = framework.get(FRAMEWORK_ID, "1.0"), framework.get(FRAMEWORK_ID, "1.1")
    added = framework.new_questions(old, new)
    assert tuple(q.code for q in added) == NEW_IN_1_1
    assert all(q.since == "1.1" for q in added)
    assert framework.new_questions(new, new) == ()


def test_1_1_keeps_every_1_0_question_in_its_area():
    old, new = framework.get(FRAMEWORK_ID, "1.0"), framework.get(FRAMEWORK_ID, "1.1")
    for question in old.questions:
        kept = new.question(question.code)
        assert (kept.area, kept.since, kept.critical) == (question.area, "1.0", question.critical)


def test_new_questions_refuses_two_different_frameworks(tmp_path):
    other = framework.load(write(tmp_path, minimal()))
    with pytest.raises(ValueError, match="cannot compare"):
        framework.new_questions(framework.get(FRAMEWORK_ID), other)


# -- fact sheets --

def test_every_fact_sheet_exists_in_both_languages_with_front_matter():
    codes = factsheets.validate()
    assert set(REQUIRED_FACTSHEETS) <= set(codes)
    for code in codes:
        for language in factsheets.LANGUAGES:
            sheet = factsheets.load(code, language)
            assert sheet.title and sheet.summary
            assert 250 <= len(sheet.body.split()) <= 650, (code, language)


def test_every_fact_sheet_a_question_names_exists():
    named = {s for fw in framework.load_all() for q in fw.questions for s in q.factsheets}
    assert named <= set(factsheets.all_codes())
    assert set(REQUIRED_FACTSHEETS) <= named


def test_a_fact_sheet_in_one_language_only_is_refused(tmp_path):
    (tmp_path / "lonely.nl.md").write_text("---\ntitle: T\nsummary: S\n---\nBody\n")
    with pytest.raises(factsheets.FactSheetError, match=r"lonely.en.md: missing"):
        factsheets.validate(tmp_path)
    with pytest.raises(factsheets.FactSheetError, match="no fact sheet 'lonely' in 'en'"):
        factsheets.load("lonely", "en", tmp_path)


def test_a_fact_sheet_without_a_summary_is_refused(tmp_path):
    (tmp_path / "x.nl.md").write_text("---\ntitle: T\nextra: 1\nlast_reviewed: 2026-01-05\n"
                                      "---\nBody\n")
    with pytest.raises(factsheets.FactSheetError) as caught:
        factsheets.load("x", "nl", tmp_path)
    assert caught.value.problems == ["x.nl.md: unknown front matter key 'extra'",
                                     "x.nl.md: front matter needs a non-empty 'summary'"]


# -- validation of broken files --

def text(s):
    """A text in both languages."""
    return {"nl": f"{s} (nl)", "en": s}


def question(code, **fields):
    """A valid question, with `fields` replaced."""
    answers = [{"level": i, "text": text(f"level {i}"), "action": text(f"do {i}")}
               for i in range(4)]
    return {"code": code, "since": "1.0", "weight": 2, "text": text("Q?"), "help": text("how"),
            "why": text("why"), "answers": answers, "factsheets": ["phishing"],
            "modules": ["firewall"], **fields}


def minimal():
    """The smallest valid framework."""
    rules = [{"code": c, "title": text(c), "min_area_score": s, "min_overall_score": s + 10,
              "allow_critical_gaps": False, "min_actions_done": d}
             for c, s, d in (("bronze", 40, 0), ("silver", 55, 0.5), ("gold", 70, 0.8))]
    return {
        "id": "test-framework", "version": "1.0", "languages": ["nl", "en"],
        "title": text("T"), "description": text("D"),
        "attribution": [{"title": "X", "publisher": "Y", "licence": "Apache-2.0",
                         "url": "https://example.org/"}],
        "levels": [{"level": i, "label": text(f"L{i}"), "description": text("d")}
                   for i in range(4)],
        "labels": rules, "validity_months": 18, "renewable_after_months": 12,
        "areas": [{"code": "infrastructure", "title": text("I"), "description": text("D"),
                   "weight": 1, "questions": [question("a-one"), question("a-two")]}],
    }


def write(directory, data, name="bad.yaml"):
    """Write `data` as a framework file and return its path."""
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_minimal_framework_is_valid(tmp_path):
    loaded = framework.load(write(tmp_path, minimal()))
    assert [q.code for q in loaded.questions] == ["a-one", "a-two"]
    assert loaded.question("a-one").answer(2).action.en == "do 2"
    assert loaded.title.get("fr") == "T (nl)"


def q0(d):
    """The first question of the first area."""
    return d["areas"][0]["questions"][0]


BROKEN = [
    (lambda d: q0(d)["answers"].pop(),
     "areas[0].questions[0].answers: expected 4 answers (levels 0–3), found 3"),
    (lambda d: q0(d)["answers"][2].update(level=3),
     "areas[0].questions[0].answers[2].level: expected 2, found 3"),
    (lambda d: q0(d).update(wieght=2), "areas[0].questions[0]: unknown key 'wieght'"),
    (lambda d: q0(d).pop("why"), "areas[0].questions[0]: missing 'why'"),
    (lambda d: q0(d)["text"].pop("en"), "areas[0].questions[0].text: missing translation 'en'"),
    (lambda d: q0(d)["help"].update(fr="x"), "areas[0].questions[0].help: unknown language 'fr'"),
    (lambda d: d["areas"][0].update(title="Infra"), "areas[0].title: expected a text in every"),
    (lambda d: d["areas"][0]["questions"][1].update(code="a-one"),
     "areas[0].questions[1].code: duplicate question code 'a-one' (also at areas[0].questions[0])"),
    (lambda d: q0(d).update(code="infrastructure"),
     "areas[0].questions[0].code: duplicate question code 'infrastructure' (also at areas[0])"),
    (lambda d: q0(d).update(code="Bad Code"), "areas[0].questions[0].code: expected a code"),
    (lambda d: q0(d).update(weight=4),
     "areas[0].questions[0].weight: expected a whole number from 1 to 3, found 4"),
    (lambda d: d["areas"][0].update(weight=0), "areas[0].weight: expected a whole number from 1"),
    (lambda d: q0(d).update(critical="yes"), "areas[0].questions[0].critical: expected true"),
    (lambda d: q0(d).update(modules=["firewal"]),
     "areas[0].questions[0].modules[0]: unknown module 'firewal' (not in the connectivity"),
    (lambda d: q0(d).update(factsheets=["nope"]),
     "areas[0].questions[0].factsheets[0]: no fact sheet 'nope' in nl, en"),
    (lambda d: q0(d).update(since="1.1"),
     "areas[0].questions[0].since: '1.1' is above the framework's version 1.0"),
    (lambda d: d.update(version=1.0), 'version: write the version as a quoted string, e.g. "1.0"'),
    (lambda d: d.update(version="one"), "version: expected a version such as \"1.0\""),
    (lambda d: d.update(languages=["nl"]), "languages: expected distinct two-letter codes"),
    (lambda d: d["levels"].pop(), "levels: expected 4 levels (0–3), found 3"),
    (lambda d: d["labels"].reverse(), "labels: expected bronze, silver, gold in that order"),
    (lambda d: d["labels"][1].update(min_overall_score=10),
     "labels[1].min_overall_score: silver asks less than bronze"),
    (lambda d: d["labels"][2].update(allow_critical_gaps=True),
     "labels[2].allow_critical_gaps: gold allows critical gaps that silver does not"),
    (lambda d: d["labels"][2].update(review=True),
     "labels[2].review: a review checks evidence: set evidence_on_critical: true as well"),
    (lambda d: d["labels"][1].update(evidence_on_critical=True, review=True),
     "labels[2].evidence_on_critical: gold asks less than silver"),
    (lambda d: d["labels"][0].update(min_critical_level=4),
     "labels[0].min_critical_level: expected a whole number from 0 to 3, found 4"),
    (lambda d: d["labels"][1].update(min_critical_level=2),
     "labels[2].min_critical_level: gold asks less than silver"),
    (lambda d: d["labels"][0].update(review="yes"), "labels[0].review: expected true or false"),
    (lambda d: d["labels"][0].update(evidence=True), "labels[0]: unknown key 'evidence'"),
    (lambda d: d["labels"][0].update(min_actions_done=2),
     "labels[0].min_actions_done: expected a number from 0 to 1, found 2"),
    (lambda d: d.update(renewable_after_months=24),
     "renewable_after_months: 24 is after the validity (18)"),
    (lambda d: d["attribution"][0].update(url="http://example.org"),
     "attribution[0].url: expected an https:// address"),
    (lambda d: d.update(areas=[]), "areas: expected at least one area"),
]


@pytest.mark.parametrize(("breaks", "message"), BROKEN, ids=[m for _, m in BROKEN])
def test_a_broken_file_is_refused_naming_file_and_place(tmp_path, breaks, message):
    data = minimal()
    breaks(data)
    with pytest.raises(FrameworkError) as caught:
        framework.load(write(tmp_path, data))
    assert any(p.startswith(f"{tmp_path / 'bad.yaml'}: {message}") for p in caught.value.problems)


def test_every_problem_is_reported_at_once(tmp_path):
    data = minimal()
    q0(data)["answers"].pop()
    data["areas"][0]["questions"][1]["text"].pop("nl")
    with pytest.raises(FrameworkError) as caught:
        framework.load(write(tmp_path, data))
    assert len(caught.value.problems) == 2
    assert str(caught.value) == "\n".join(caught.value.problems)


def test_a_key_given_twice_is_refused_with_its_line(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("id: x\nversion: '1.0'\nid: y\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"twice.yaml: line 3, column 1: .*duplicate key 'id'"):
        framework.load(path)


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"broken.yaml: line \d+, column \d+: not valid YAML"):
        framework.load(path)


def test_a_new_version_may_not_backdate_a_new_question(tmp_path):
    write(tmp_path, minimal(), "t-1.0.yaml")
    newer = minimal()
    newer["version"] = "1.1"
    newer["areas"][0]["questions"].append(question("a-three"))  # since "1.0", but new in 1.1
    write(tmp_path, newer, "t-1.1.yaml")
    with pytest.raises(FrameworkError, match="question a-three: new in 1.1 but since '1.0'"):
        framework.load_all(tmp_path)


def test_two_files_may_not_hold_the_same_version(tmp_path):
    write(tmp_path, minimal(), "a.yaml")
    write(tmp_path, minimal(), "b.yaml")
    with pytest.raises(FrameworkError, match="version: test-framework 1.0 also in"):
        framework.load_all(tmp_path)


def test_versions_are_ordered_as_numbers_not_text():
    assert framework.version_key("1.10") > framework.version_key("1.9")
    assert framework.version_key("2.0") == framework.version_key("2.0.0")
