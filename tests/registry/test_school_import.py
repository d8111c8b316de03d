"""Importing the Flemish list of school locations exactly as the department publishes it."""

import pytest
from django.core.management import call_command

from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.problems import ImportRefused, shown
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Board, Institution, Location
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db


def load(path, actor="tester"):
    return import_school_list(path, actor=actor)


def test_the_published_sample_imports_whole(sample_school_file):
    run = load(sample_school_file)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows, run.created) == (200, 200)
    assert Institution.objects.count() == 200
    assert Location.objects.count() == 200
    assert not Institution.objects.filter(province__isnull=True).exists()
    school = Institution.objects.get(number="18")
    assert (school.level, school.special, school.province_id) == ("basis", False, "brussel")
    assert school.network.name == "Gemeenschapsonderwijs"
    assert school.board.code == "113878"
    assert school.company_number == "0267377629"


def test_reimporting_the_same_file_changes_nothing(sample_school_file):
    load(sample_school_file)
    before = list(Location.objects.values_list("id", "updated_at").order_by("id"))
    run = load(sample_school_file)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 200)
    assert list(Location.objects.values_list("id", "updated_at").order_by("id")) == before
    assert not AuditEntry.objects.filter(import_run=run).exists()


def test_a_changed_file_updates_exactly_the_changed_rows_and_audits_them(tmp_path):
    rows = [row(), row(schoolnummer="1002", naam="Vrije Basisschool Twee")]
    load(write(tmp_path / "v1.csv", rows), actor="first")
    rows[1]["straat"] = "Nieuwe Straat"
    run = load(write(tmp_path / "v2.csv", rows), actor="second")
    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)
    changed = Location.objects.get(institution__number="1002")
    assert (changed.street, changed.changed_by) == ("Nieuwe Straat", "second")
    assert Location.objects.get(institution__number="1001").changed_by == "first"
    entry = AuditEntry.objects.get(import_run=run, action="update")
    assert (entry.table, entry.object_key, entry.actor) == ("registry.location", "1002/1", "second")
    assert entry.changes == {"street": ["Teststraat", "Nieuwe Straat"]}


def test_a_blank_province_is_derived_from_refnis_then_postcode(tmp_path):
    blank = {"provinciecode": "", "provincie": ""}
    write(tmp_path / "f.csv", [
        row(schoolnummer="1", niscode="11056", postcode="2070", **blank),  # Zwijndrecht, 2025
        row(schoolnummer="2", niscode="", postcode="2070", **blank),
        row(schoolnummer="3", niscode="44021", postcode="9000", **blank),
        row(schoolnummer="4", niscode="", postcode="3500", **blank),
    ])
    load(tmp_path / "f.csv")
    provinces = dict(Institution.objects.values_list("number", "province_id"))
    assert provinces == {"1": "oost-vlaanderen", "2": "oost-vlaanderen",
                         "3": "oost-vlaanderen", "4": "limburg"}
    assert Location.objects.get(institution__number="2").municipality_id == "46030"


def test_a_broken_file_is_refused_whole_naming_every_bad_line(tmp_path):
    write(tmp_path / "good.csv", [row()])
    load(tmp_path / "good.csv")
    boards = Board.objects.count()
    path = write(tmp_path / "bad.csv", [
        row(schoolnummer="2001"),
        row(schoolnummer="2002", onderwijsniveau="XYZ"),
        row(schoolnummer="2003", begindatum="2023-09-01"),
        row(schoolnummer="2004", niscode="99999", bestuur="999001"),
        row(schoolnummer="2005", begindatum="01/09/2024", einddatum="01/09/2023"),
        row(schoolnummer="2001"),
    ])
    with pytest.raises(ImportRefused) as refused:
        load(path)
    assert refused.value.problems.lines() == [
        "bad.csv:3: column onderwijsniveau: 'XYZ' is not one of BaO, SO, VWO, DKO, HO",
        "bad.csv:4: column begindatum: '2023-09-01' is not a date written dd/mm/yyyy",
        "bad.csv:5: column niscode: 99999 is not a REFNIS municipality code",
        "bad.csv:6: column einddatum: 01/09/2023 is before begindatum",
        # found by the set-based check in the same round (issue 17)
        "bad.csv:7: column intern_vplnummer: this location is already on line 2",
    ]
    assert Institution.objects.count() == 1
    assert Board.objects.count() == boards
    run = ImportRun.objects.latest("started_at")
    assert run.status == ImportRun.Status.REFUSED
    assert len(run.problems) == 5


def test_a_location_listed_twice_is_refused(tmp_path):
    path = write(tmp_path / "dup.csv", [row(), row(naam="Other")])
    with pytest.raises(ImportRefused) as refused:
        load(path)
    assert refused.value.problems.lines() == [
        "dup.csv:3: column intern_vplnummer: this location is already on line 2"
    ]


def test_a_missing_column_is_named_at_the_header(tmp_path):
    header = [c for c in row() if c != "onderwijsniveau"]
    path = write(tmp_path / "f.csv", [row()], header=header)
    with pytest.raises(ImportRefused) as refused:
        load(path)
    assert "f.csv:1: column onderwijsniveau: missing from the header" in \
        refused.value.problems.lines()


def test_the_list_of_problems_is_capped(tmp_path, settings):
    settings.IMPORT_PROBLEM_LIMIT = 10
    path = write(tmp_path / "f.csv",
                 [row(schoolnummer=str(3000 + i), hoofdzetel="maybe") for i in range(25)])
    with pytest.raises(ImportRefused) as refused:
        load(path)
    lines = refused.value.problems.lines()
    assert len(lines) == 11
    assert lines[-1] == "f.csv: … and 15 more problems not listed"


@pytest.mark.parametrize("variant", [
    {"delimiter": ";"}, {"bom": True}, {"line_end": "\r\n"}, {"line_end": "\r"},
    {"delimiter": ";", "bom": True, "line_end": "\r"},
])
def test_every_encoding_variant_imports_the_same(tmp_path, variant):
    rows = [row(), row(schoolnummer="1002", intern_vplnummer="2", hoofdzetel="False")]
    load(write(tmp_path / "plain.csv", rows))
    run = load(write(tmp_path / "variant.csv", rows, **variant))
    assert (run.created, run.updated, run.unchanged) == (0, 0, 2)


def test_columns_naming_persons_are_never_stored(tmp_path):
    load(write(tmp_path / "f.csv", [row()]))
    stored = " ".join(str(v) for model in (Institution, Location)
                      for values in model.objects.values() for v in values.values())
    for personal in ("Jan Janssens", "directie@example.org", "03 123 45 67"):
        assert personal not in stored


def test_a_file_that_is_not_utf8_is_refused_with_line_and_column(tmp_path):
    path = write(tmp_path / "f.csv", [row()])
    path.write_bytes(path.read_bytes().replace(b"De Test", b"De T\xe9st"))
    with pytest.raises(ImportRefused) as refused:
        load(path)
    (line,) = refused.value.problems.lines()
    assert line.startswith("f.csv:2: character ") and "0xe9" in line


def test_unknown_extra_columns_are_ignored_with_a_warning(tmp_path):
    rows = [dict(row(), leersteuncentrum="x")]
    header = [*row(), "leersteuncentrum"]
    run = load(write(tmp_path / "f.csv", rows, header=header))
    assert shown(run.warnings, "en") == [
        "f.csv:1: column leersteuncentrum: not in the contract; ignored"]


def test_special_education_stays_in_its_level(tmp_path):
    load(write(tmp_path / "f.csv", [
        row(instellingstype="Basisschool voor buitengewoon onderwijs"),
        row(schoolnummer="1002", onderwijsniveau="SO", instellingstype="School voor voltijds "
            "gewoon secundair onderwijs"),
    ]))
    assert dict(Institution.objects.values_list("number", "special")) == {"1001": True,
                                                                          "1002": False}
    assert Institution.objects.get(number="1001").level == "basis"


def test_the_command_prints_a_summary_and_refuses_with_one_line_per_problem(tmp_path, capsys,
                                                                            monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # the command speaks its terminal's language
    good = write(tmp_path / "good.csv", [row()])
    call_command("import_schools", str(good), "--quiet")
    assert "good.csv: 1 locations read: 1 new, 0 changed, 0 unchanged" in capsys.readouterr().out
    bad = write(tmp_path / "bad.csv", [row(hoofdzetel="perhaps")])
    with pytest.raises(SystemExit) as exit_:
        call_command("import_schools", str(bad), "--quiet")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "bad.csv:2: column hoofdzetel: 'perhaps' is not True or False" in err
    assert "refused; nothing was imported (1 problem)" in err
