"""`ictmonitor import labels FILE`: label awards carried over (contracts/labels.md), on the
shared pipeline: whole or not at all, unknown schools refused, re-import changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from ictmonitor.assessment.importers import import_labels
from ictmonitor.assessment.models import Label
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.problems import ImportRefused
from tests.assessment.test_support import import_schools

pytestmark = pytest.mark.django_db
HEADER = "schoolnummer;level;awarded_on;valid_until"


@pytest.fixture
def schools(tmp_path):
    return import_schools(tmp_path, [("6001", "antwerpen", "basis"),
                                     ("6002", "limburg", "secundair")])


def write(folder, name, *lines, header=HEADER):
    path = folder / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_carried_over_labels_are_imported_with_their_validity(schools, tmp_path):
    path = write(tmp_path, "labels.csv", "6001;silver;2015-03-10;",
                 "6002;gold;2015-08-31;2016-12-31", "6001;bronze;2013-01-15;2014-07-15")
    run = import_labels(path, actor="test")
    assert (run.rows, run.created, run.updated, run.unchanged) == (3, 3, 0, 0)
    found = {(x.institution.number, x.level): (x.awarded_on.isoformat(),
                                               x.valid_until.isoformat(), x.carried_over)
             for x in Label.objects.select_related("institution")}
    assert found == {("6001", "silver"): ("2015-03-10", "2016-09-10", True),  # + 18 months
                     ("6002", "gold"): ("2015-08-31", "2016-12-31", True),
                     ("6001", "bronze"): ("2013-01-15", "2014-07-15", True)}
    tokens = set(Label.objects.values_list("token", flat=True))
    assert None not in tokens and len(tokens) == 3
    assert run.details["tokens_given"] == 3


def test_reimporting_the_same_file_changes_nothing(schools, tmp_path):
    path = write(tmp_path, "labels.csv", "6001;silver;2015-03-10;", "6002;gold;2015-08-31;")
    import_labels(path, actor="test")
    before = dict(Label.objects.values_list("pk", "token"))
    audit = AuditEntry.objects.count()
    again = import_labels(path, actor="test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert dict(Label.objects.values_list("pk", "token")) == before
    assert AuditEntry.objects.count() == audit


def test_a_corrected_file_updates_the_award_it_names_and_records_it(schools, tmp_path):
    import_labels(write(tmp_path, "a.csv", "6001;silver;2015-03-10;"), actor="test")
    run = import_labels(write(tmp_path, "b.csv", "6001;gold;2015-03-10;2016-01-01"),
                        actor="analyst")
    assert (run.created, run.updated) == (0, 1)
    label = Label.objects.get()
    assert (label.level, label.valid_until.isoformat()) == ("gold", "2016-01-01")
    entry = AuditEntry.objects.get(table="assessment.label", action="update")
    assert entry.object_key == "6001/2015-03-10" and entry.actor == "analyst"
    assert entry.changes == {"level": ["silver", "gold"],
                             "valid_until": ["2016-09-10", "2016-01-01"]}


def test_a_file_with_problems_is_refused_whole_naming_each(schools, tmp_path):
    path = write(tmp_path, "bad.csv",
                 "6001;silver;2015-03-10;",
                 "9999;gold;2015-03-10;",          # unknown school
                 "6002;platinum;2015-03-10;",      # unknown level
                 "6002;gold;10/03/2015;",          # not ISO
                 "6002;gold;2015-03-10;2014-01-01",  # before the award
                 "6001;bronze;2015-03-10;",        # the same key again
                 "6002;gold;;")                    # no award date
    with pytest.raises(ImportRefused) as refused:
        import_labels(path, actor="test")
    lines = refused.value.problems.lines()
    assert "bad.csv:4: column level: 'platinum' is not one of iron, bronze, silver, gold" in lines
    assert any(line.startswith("bad.csv:5: column awarded_on:") for line in lines)
    assert "bad.csv:6: column valid_until: 2014-01-01 is before awarded_on 2015-03-10" in lines
    assert any(line.startswith("bad.csv:8: column awarded_on: is empty") for line in lines)
    assert Label.objects.count() == 0
    # With the cell-level problems fixed, the set-based checks speak.
    path = write(tmp_path, "bad2.csv", "6001;silver;2015-03-10;", "9999;gold;2015-03-10;",
                 "6001;bronze;2015-03-10;")
    with pytest.raises(ImportRefused) as refused:
        import_labels(path, actor="test")
    assert refused.value.problems.lines() == [
        "bad2.csv:3: column schoolnummer: 9999 is not a known school",
        "bad2.csv:4: column awarded_on: this school's award of that day is already on line 2",
    ]
    assert Label.objects.count() == 0


def test_the_header_must_have_the_contract_columns(schools, tmp_path):
    path = write(tmp_path, "short.csv", "6001;silver", header="schoolnummer;level")
    with pytest.raises(ImportRefused) as refused:
        import_labels(path, actor="test")
    assert "short.csv:1: column awarded_on: missing from the header" in \
        refused.value.problems.lines()


def test_the_command_line_imports_labels(schools, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # the command speaks its terminal's language
    path = write(tmp_path, "labels.csv", "6001;silver;2015-03-10;", header=HEADER.upper())
    call_command("import_labels", str(path), "--quiet")
    assert "1 labels read: 1 new" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("import_labels", str(write(tmp_path, "x.csv", "7;gold;2015-01-01;")),
                     "--quiet")
    assert "refused; nothing was imported" in capsys.readouterr().err


def test_a_carried_over_labels_verification_page_says_where_it_was_earned(schools, tmp_path,
                                                                           client):
    from django.urls import reverse

    import_labels(write(tmp_path, "labels.csv", "6001;silver;2015-03-10;"), actor="test")
    page = client.get(reverse("labels:verify", args=[Label.objects.get().token]))
    text = " ".join(page.content.decode().split())
    assert "in een eerder programma voor een label online veiligheid" in text
    assert "actieplan afwerkt" not in text


def pdf_text(data: bytes) -> str:
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: install poppler-utils", pytrace=False)
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def test_an_iron_label_of_the_earlier_programme_is_carried_over_and_shown_as_such(
        schools, tmp_path, client, client_for):
    """contracts/labels.md: the earlier European label had an iron level, below bronze."""
    from django.urls import reverse

    run = import_labels(write(tmp_path, "labels.csv", "6001;iron;2015-03-10;",
                              "6002;bronze;2015-03-10;"), actor="test")
    assert run.created == 2
    iron = Label.objects.get(level="iron")
    assert (iron.institution.number, iron.valid_until.isoformat(), iron.carried_over) == (
        "6001", "2016-09-10", True)
    page = client.get(reverse("labels:verify", args=[iron.token]))
    text = " ".join(page.content.decode().split())
    assert "<dt>Niveau</dt><dd>ijzer</dd>" in text
    assert "in een eerder programma voor een label online veiligheid" in text
    coordinator = client_for("coordinator", institutions=[iron.institution])
    certificate = reverse("assessment:certificate", args=["6001"])
    dutch = pdf_text(coordinator.get(certificate, {"id": iron.pk, "lang": "nl"}).content)
    assert "IJzer" in dutch and "eerder programma" in dutch
    english = pdf_text(coordinator.get(certificate, {"id": iron.pk, "lang": "en"}).content)
    assert "Iron" in english and "earlier online-safety label programme" in english
    label_page = coordinator.get(reverse("assessment:label", args=["6001"])).content.decode()
    assert "<td>ijzer</td>" in label_page  # in the list of its labels (expired by now)


def test_iron_labels_count_in_the_reports_by_label_level(schools, tmp_path):
    from datetime import date

    from ictmonitor.reports.definitions import Parameters
    from ictmonitor.reports.engine import get_report, run_report

    import_labels(write(tmp_path, "labels.csv", "6001;iron;2015-03-10;",
                        "6002;bronze;2015-03-10;"), actor="test")
    for report, measure in (("label-holders", "institutions"), ("label-awards", "awards")):
        for language, names in (("nl", {"bronze": "Brons", "iron": "IJzer"}),
                                ("en", {"bronze": "Bronze", "iron": "Iron"})):
            result = run_report(get_report(report), Parameters(
                by=("label_level",), at=date(2015, 6, 1), language=language))
            assert {r["label_level"]: r[measure] for r in result.rows} == {"bronze": 1,
                                                                            "iron": 1}
            assert result.labels["label_level"] == names
            assert result.totals[measure] == 2


def test_a_school_holding_iron_earns_bronze_as_a_higher_label(schools, tmp_path):
    from datetime import date

    from ictmonitor.assessment.selectors import current_framework
    from ictmonitor.assessment.services.labels import may_award

    import_labels(write(tmp_path, "labels.csv", "6001;iron;2015-03-10;"), actor="test")
    school, fw = Label.objects.get().institution, current_framework()
    day = date(2015, 6, 1)  # within the iron label's validity, before it may be renewed
    assert may_award(school, "bronze", fw, day)
    assert not may_award(school, "iron", fw, day)


def test_a_label_earned_on_this_platform_is_not_replaced_by_a_carried_over_one(schools,
                                                                                tmp_path):
    from datetime import date

    from ictmonitor.assessment.selectors import current_framework
    from ictmonitor.assessment.services.labels import award_label

    earned = award_label(schools["6001"], "silver", current_framework(), on=date(2025, 3, 10),
                         assessment=None, by="test")
    path = write(tmp_path, "labels.csv", "6002;gold;2015-03-10;", "6001;iron;2025-03-10;")
    with pytest.raises(ImportRefused) as refused:
        import_labels(path, actor="test")
    assert refused.value.problems.lines() == [
        "labels.csv:3: column awarded_on: this school earned a label on this platform that "
        "day; a carried-over award cannot replace it"]
    earned.refresh_from_db()
    assert (earned.level, earned.carried_over, Label.objects.count()) == ("silver", False, 1)
