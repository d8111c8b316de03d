"""The reports label-holders, label-awards and assessment-areas, from a raw school list and a
raw carry-over label file, as an analyst would load them."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connections

from ictmonitor.assessment import services
from ictmonitor.assessment.importers import import_labels
from ictmonitor.assessment.models import Label
from ictmonitor.cli import main
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report
from tests.assessment.test_support import (
    current,
    every,
    import_schools,
    moment,
    school_row,
    submitted,
)
from tests.registry.flemish_rows import write as write_rows

pytestmark = pytest.mark.django_db

# Seed 004: 116 institutions held the eSafety Label.
SEED = {"antwerpen": 27, "limburg": 9, "oost-vlaanderen": 31, "vlaams-brabant": 18,
        "west-vlaanderen": 31}
AT = date(2016, 6, 1)


def run(report_id, *by, **options):
    options.setdefault("at", AT)
    return run_report(get_report(report_id), Parameters(by=by, **options))


def figures(result, measure):
    by = result.dimensions
    return {tuple(r[d] for d in by) if len(by) > 1 else r[by[0]]: r[measure]
            for r in result.rows}


def seed_files(folder):
    """A raw school list and a raw carry-over label file: 116 labelled schools spread as in the
    seed, and some labels that do not count on the day."""
    specs, lines, number = [], [], 7000
    for n, (province, count) in enumerate(SEED.items()):
        for i in range(count + 3):
            number += 1
            level = "secundair" if i % 3 == 0 else "basis"
            specs.append((number, province, level))
            kind = ("bronze", "silver", "gold")[i % 3]
            if i < count:  # valid on 1 June 2016: awarded from December 2014 on
                month = 1 + (i + n) % 12
                year = 2015 if month > 5 else 2016
                until = "" if i % 4 else f"{year + 2}-01-31"
                lines.append(f"{number};{kind};{year}-{month:02}-{1 + i % 27:02};{until}")
                if i == 0:  # renewed early: two valid labels, counted once (the latest)
                    lines.append(f"{number};gold;2016-05-02;")
            elif i == count:  # expired before the day
                lines.append(f"{number};bronze;2014-01-10;")
            elif i == count + 1:  # awarded after the day
                lines.append(f"{number};silver;2016-06-02;")
    schools = write_rows(folder / "schools.csv",
                         [school_row(str(number), province, level)
                          for number, province, level in specs])
    labels = folder / "esafety-labels.csv"
    labels.write_text("schoolnummer;level;awarded_on;valid_until\n" + "\n".join(lines) + "\n",
                      encoding="utf-8")
    return schools, labels


@pytest.fixture
def seed_labels(tmp_path):
    """The seed's files imported through the importers."""
    schools, labels = seed_files(tmp_path)
    import_school_list(schools, actor="test")
    import_labels(labels, actor="test")
    return {i.number: i for i in Institution.objects.all()}


def test_label_holders_by_province_reproduce_the_seed(seed_labels):
    result = run("label-holders", "province")
    assert figures(result, "institutions") == SEED
    assert result.totals["institutions"] == 116
    assert result.totals["share"] == pytest.approx(116 / 131)  # of the open institutions
    assert result.labels["province"]["oost-vlaanderen"] == "Oost-Vlaanderen"


def test_from_the_raw_files_the_ictmonitor_command_gives_the_seed_table(db, tmp_path, capsys,
                                                                         monkeypatch):
    # A command run from the shell closes its connections at the end; here that would close
    # the test's own transaction (PostgreSQL).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # the command speaks its terminal's language
    schools, labels = seed_files(tmp_path)
    main(["import", "schools", str(schools), "--quiet"])
    main(["import", "labels", str(labels), "--quiet"])
    assert "131 labels read: 131 new" in capsys.readouterr().out
    main(["report", "label-holders", "--by", "province", "--at", "2016-06-01",
          "--format", "csv"])
    table = [row[:3] for row in csv.reader(io.StringIO(capsys.readouterr().out))]
    assert table == [["province", "province_label", "institutions"],
                     ["antwerpen", "Antwerpen", "27"], ["limburg", "Limburg", "9"],
                     ["oost-vlaanderen", "Oost-Vlaanderen", "31"],
                     ["vlaams-brabant", "Vlaams-Brabant", "18"],
                     ["west-vlaanderen", "West-Vlaanderen", "31"], ["total", "Totaal", "116"]]


def test_the_command_line_gives_the_seed_table(seed_labels, capsys):
    call_command("report", "label-holders", "--by", "province", "--at", "2016-06-01",
                 "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert {r["province"]: r["institutions"] for r in data["rows"]} == SEED
    assert data["totals"]["institutions"] == 116


def test_a_school_counts_once_under_its_latest_label(seed_labels):
    levels = figures(run("label-holders", "label_level"), "institutions")
    assert sum(levels.values()) == 116
    assert levels["gold"] == sum(1 for count in SEED.values()
                                 for i in range(count) if i % 3 == 2 or i == 0)
    assert run("label-holders", "label_level", language="en").labels["label_level"] == {
        "bronze": "Bronze", "gold": "Gold", "silver": "Silver"}
    by_both = figures(run("label-holders", "province", "level"), "institutions")
    assert sum(by_both.values()) == 116 and ("limburg", "secundair") in by_both


def test_revoked_and_expired_labels_are_not_held(seed_labels):
    assert figures(run("label-holders", "province", at=date.today()), "institutions") == {}
    label = Label.objects.filter(institution__province_id="limburg", level="silver").first()
    services.revoke_label(label, "Carried over by mistake.", by="test",
                          now=moment("2016-05-01 09:00"))
    held = figures(run("label-holders", "province"), "institutions")
    assert held["limburg"] == 8
    before = figures(run("label-holders", "province", at=date(2016, 4, 30)), "institutions")
    assert label.awarded_on > date(2016, 4, 30) or before["limburg"] >= 8


def test_label_awards_per_year_and_province(seed_labels):
    years = figures(run("label-awards", "year", at=date(2020, 1, 1)), "awards")
    assert set(years) == {"2014", "2015", "2016"}
    assert years["2014"] == 5  # the five expired ones
    assert sum(years.values()) == 116 + 5 + 5 + 5  # + renewals, expired, later
    by_province = figures(run("label-awards", "year", "province", at=date(2020, 1, 1)), "awards")
    assert by_province[("2014", "limburg")] == 1
    only = run("label-awards", "province", at=date(2020, 1, 1), year=2014)
    assert only.totals == {"awards": 5}
    assert run("label-awards", at=AT).totals["awards"] == 116 + 5 + 5


@pytest.fixture
def assessed(tmp_path, user_factory):
    schools = import_schools(tmp_path, [("8001", "antwerpen", "basis"),
                                        ("8002", "antwerpen", "secundair"),
                                        ("8003", "limburg", "basis")])
    user = user_factory("coordinator", institutions=list(schools.values()))
    fw = current()
    infra = [q.code for q in fw.area("infrastructure").questions]
    submitted(schools["8001"], user, every(fw, 3), when="2025-01-10")
    submitted(schools["8001"], user, every(fw, 0), when="2025-02-10")  # the latest counts
    submitted(schools["8002"], user, {code: 3 for code in infra}, when="2025-02-10")
    submitted(schools["8003"], user, every(fw, 2), when="2025-03-10")
    return schools


def test_assessment_areas_from_each_schools_latest_assessment(assessed):
    result = run("assessment-areas", "area", at=date(2025, 6, 1))
    assert figures(result, "institutions") == {"infrastructure": 3, "policy": 3,
                                               "practice": 3}
    assert figures(result, "mean_score") == {"infrastructure": round((0 + 100 + 200 / 3) / 3, 1),
                                             "policy": round(200 / 9, 1),
                                             "practice": round(200 / 9, 1)}
    assert result.labels["area"]["policy"] == "ICT-beleid"
    assert result.totals["institutions"] == 3
    by_province = figures(run("assessment-areas", "area", "province", at=date(2025, 6, 1)),
                          "mean_score")
    assert by_province[("infrastructure", "antwerpen")] == 50.0
    assert by_province[("policy", "limburg")] == pytest.approx(66.7)
    by_level = figures(run("assessment-areas", "area", "level", at=date(2025, 6, 1)),
                       "institutions")
    assert by_level[("practice", "basis")] == 2 and by_level[("practice", "secundair")] == 1


def test_assessment_areas_on_an_earlier_day_use_what_was_submitted_by_then(assessed):
    early = run("assessment-areas", "area", at=date(2025, 1, 31))
    assert figures(early, "mean_score") == {"infrastructure": 100.0, "policy": 100.0,
                                            "practice": 100.0}
    assert figures(run("assessment-areas", "province", at=date(2025, 6, 1)),
                   "institutions") == {"antwerpen": 2, "limburg": 1}
