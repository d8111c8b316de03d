"""The reports assessment-questions and assessment-progress, and assessment-areas split by
framework version; every assessment and label report says the schools chose to take part
(issue 14, item 10)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command

from ictmonitor.assessment.importers import import_labels
from ictmonitor.assessment.models import Answer, Assessment
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report
from tests.assessment.test_support import current, every, import_schools, submitted, version

pytestmark = pytest.mark.django_db
AT = date(2025, 6, 1)


def run(report_id, *by, **options):
    options.setdefault("at", AT)
    return run_report(get_report(report_id), Parameters(by=by, **options))


def keyed(result, measure):
    by = result.dimensions
    return {tuple(r[d] for d in by) if len(by) > 1 else r[by[0]]: r[measure]
            for r in result.rows}


@pytest.fixture
def schools(tmp_path):
    return import_schools(tmp_path, [("8001", "antwerpen", "basis"),
                                     ("8002", "antwerpen", "secundair"),
                                     ("8003", "limburg", "basis"),
                                     ("8004", "limburg", "basis")])


@pytest.fixture
def coordinator(user_factory, schools):
    return user_factory("coordinator", institutions=list(schools.values()))


@pytest.fixture
def assessed(schools, coordinator):
    """Three schools on 2.0 (one answered twice: the latest counts), one still on 1.1."""
    fw = current()
    submitted(schools["8001"], coordinator, every(fw, 3), when="2025-01-10")
    submitted(schools["8001"], coordinator, every(fw, 1), when="2025-02-10")
    submitted(schools["8002"], coordinator, every(fw, 2), when="2025-02-10")
    submitted(schools["8003"], coordinator, every(fw, 0), when="2025-03-10")
    old = version("1.1")
    submitted(schools["8004"], coordinator, every(old, 3), when="2025-03-10", fw=old)
    return schools


def test_every_question_gives_the_share_of_schools_at_each_level(assessed):
    result = run("assessment-questions", "question")
    fw = current()
    rows = {row["question"]: row for row in result.rows}
    on_both = {q.code for q in version("1.1").questions}
    for question in fw.questions:
        row = rows[question.code]
        if question.code in on_both:  # the 1.1 school's answer (3) counts too
            assert row["institutions"] == 4 and row["share_level_3"] == 0.25
            assert row["share_level_0"] == 0.25 and row["mean_level"] == 1.5
            continue
        assert row["institutions"] == 3
        assert row["share_level_0"] == pytest.approx(0.3333)
        assert row["share_level_1"] == pytest.approx(0.3333)
        assert row["share_level_2"] == pytest.approx(0.3333)
        assert row["share_level_3"] == 0
        assert row["mean_level"] == 1.0
    assert set(fw.question(code).code for code in rows if code not in on_both)
    assert result.labels["question"][fw.questions[0].code] == fw.questions[0].text.nl
    assert result.totals["institutions"] == 4  # the 1.1 school counts in the totals


def test_dont_know_and_not_applicable_have_their_own_shares(schools, coordinator):
    fw = current()
    allowed = next(q.code for q in fw.questions if q.allows_not_applicable)
    mfa = next(q.code for q in fw.questions if q.code != allowed)
    submitted(schools["8001"], coordinator, every(fw, 2), when="2025-01-10")
    submitted(schools["8002"], coordinator, every(fw, 2), when="2025-01-10")
    for number, mark in (("8001", "not-applicable"), ("8002", "dont-know")):
        Answer.objects.filter(assessment__institution=schools[number],
                              question__in=[allowed, mfa] if mark == "dont-know" else [allowed]
                              ).update(level=0, mark=mark)
    rows = {row["question"]: row for row in run("assessment-questions", "question").rows}
    assert rows[allowed]["share_not_applicable"] == 0.5
    assert rows[allowed]["share_dont_know"] == 0.5
    assert rows[allowed]["mean_level"] == 0.0  # "don't know" as 0, "not applicable" left out
    assert rows[mfa]["share_dont_know"] == 0.5 and rows[mfa]["share_level_2"] == 0.5
    assert rows[mfa]["share_level_0"] == 0 and rows[mfa]["mean_level"] == 1.0


def test_the_command_line_gives_every_question_by_version(assessed, capsys):
    call_command("report", "assessment-questions", "--by", "question,version", "--at",
                 "2025-06-01", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    versions = {row["version"] for row in data["rows"]}
    assert versions == {"1.1", "2.0"}
    old_only = {row["question"] for row in data["rows"] if row["version"] == "1.1"}
    assert old_only == {q.code for q in version("1.1").questions}
    assert all(row["institutions"] == 1 for row in data["rows"] if row["version"] == "1.1")


def test_areas_split_by_framework_version_and_say_when_they_combine_versions(assessed):
    combined = run("assessment-areas", "area", language="en")
    assert keyed(combined, "institutions") == {"infrastructure": 4, "policy": 4, "practice": 4}
    caveats = combined.as_json()["caveats"]
    assert any("chose to take part" in text for text in caveats)
    assert any("1.1, 2.0" in text for text in caveats)
    split = run("assessment-areas", "area", "version", language="en")
    assert keyed(split, "institutions")[("policy", "1.1")] == 1
    assert keyed(split, "institutions")[("policy", "2.0")] == 3
    assert keyed(split, "mean_score")[("policy", "1.1")] == 100.0
    assert not any("1.1, 2.0" in text for text in split.as_json()["caveats"])
    assert ("Participation", split.as_json()["caveats"][0]) in split.annotations.lines


def test_public_label_reports_say_the_schools_chose_to_take_part(assessed):
    for report in ("label-holders", "label-awards"):
        result = run(report, "province", public=True, language="nl")
        assert result.annotations.lines and "kozen" in result.annotations.lines[0][1]


def test_progress_from_one_assessment_to_the_next(assessed, coordinator, schools):
    fw = current()
    submitted(schools["8002"], coordinator, every(fw, 3), when="2025-04-10")
    result = run("assessment-progress", "area")
    # 8001 went from 3 to 1 everywhere (-66.7), 8002 from 2 to 3 (+33.3).
    assert keyed(result, "institutions") == {"infrastructure": 2, "policy": 2, "practice": 2}
    assert keyed(result, "mean_change") == {"infrastructure": -16.7, "policy": -16.7,
                                            "practice": -16.7}
    assert all(row["renewed"] is None for row in result.rows)
    by_province = run("assessment-progress", "province")
    assert keyed(by_province, "mean_change") == {"antwerpen": -16.7}
    assert run("assessment-progress").totals["institutions"] == 2
    earlier = run("assessment-progress", "province", at=date(2025, 3, 1))
    assert keyed(earlier, "institutions") == {"antwerpen": 1}
    by_year = run("assessment-progress", "year")
    assert keyed(by_year, "institutions") == {"2025": 2}


def test_labels_that_ended_were_renewed_or_lapsed(schools, tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("schoolnummer;level;awarded_on;valid_until\n"
                      "8001;bronze;2021-01-10;2023-01-10\n"
                      "8001;silver;2022-12-01;2024-12-01\n"  # renewed the first in time
                      "8002;gold;2021-03-01;2023-03-01\n"  # lapsed
                      "8003;gold;2024-03-01;2026-03-01\n", encoding="utf-8")  # not ended
    import_labels(labels, actor="test")
    result = run("assessment-progress", "year")
    assert keyed(result, "renewed") == {"2023": 1, "2024": 0}
    assert keyed(result, "lapsed") == {"2023": 1, "2024": 1}
    assert all(row["institutions"] == 0 and row["mean_change"] is None for row in result.rows)
    totals = run("assessment-progress", "province").totals
    assert totals["renewed"] == 1 and totals["lapsed"] == 2
    assert Assessment.objects.count() == 0
