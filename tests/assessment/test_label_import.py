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
    assert "bad.csv:4: column level: 'platinum' is not one of bronze, silver, gold" in lines
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


def test_the_command_line_imports_labels(schools, tmp_path, capsys):
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
