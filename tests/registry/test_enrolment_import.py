"""Importing pupil counts per location, school year and level."""

import pytest

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.problems import ImportRefused
from ictmonitor.registry.importers import import_enrolments, import_school_list
from ictmonitor.registry.models import Enrolment
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

HEADER = "schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen"


@pytest.fixture
def schools(tmp_path):
    path = write(tmp_path / "schools.csv", [
        row(), row(intern_vplnummer="2", hoofdzetel="False"),
        row(schoolnummer="1002", onderwijsniveau="SO"),
    ])
    import_school_list(path, actor="tester")


def counts(tmp_path, *lines, name="pupils.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_counts_import_and_reimport_changes_nothing(tmp_path, schools):
    path = counts(tmp_path, "1001;1;2023-2024;kleuter;45", "1001;2;2023-2024;lager;7",
                  "1002;1;2023-2024;secundair;612")
    run = import_enrolments(path, actor="tester")
    assert run.created == 3
    assert Enrolment.objects.get(location__number="2").pupils == 7
    again = import_enrolments(path, actor="tester")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_corrected_count_is_updated_and_audited(tmp_path, schools):
    import_enrolments(counts(tmp_path, "1001;1;2023-2024;kleuter;45"), actor="first")
    run = import_enrolments(counts(tmp_path, "1001;1;2023-2024;kleuter;47", name="v2.csv"),
                            actor="second")
    assert run.updated == 1
    entry = AuditEntry.objects.get(import_run=run, action="update")
    assert entry.object_key == "1001/1/2023-2024/kleuter"
    assert entry.changes == {"pupils": [45, 47]}


def test_unknown_schools_and_locations_and_bad_values_refuse_the_whole_file(tmp_path, schools):
    path = counts(
        tmp_path,
        "1001;1;2023-2024;kleuter;45",
        "9999;1;2023-2024;lager;10",
        "1001;7;2023-2024;lager;10",
        "1001;1;2023-2025;lager;10",
        "1001;1;2023-2024;hoger;10",
        "1001;1;2023-2024;lager;-3",
    )
    with pytest.raises(ImportRefused) as refused:
        import_enrolments(path, actor="tester")
    assert refused.value.problems.lines() == [  # all in one round (issue 17)
        "pupils.csv:3: column schoolnummer: 9999 is not a known school",
        "pupils.csv:4: column intern_vplnummer: school 1001 has no location 7",
        "pupils.csv:5: column schooljaar: '2023-2025' is not a school year like 2023-2024",
        "pupils.csv:6: column niveau: 'hoger' is not one of kleuter, lager, secundair, "
        "volwassenen, deeltijds-kunst",
        "pupils.csv:7: column leerlingen: -3 is below 0",
    ]
    assert not Enrolment.objects.exists()
    path = counts(tmp_path, "1001;1;2023-2024;kleuter;45", "9999;1;2023-2024;lager;10",
                  "1001;7;2023-2024;lager;10", "1001;1;2023-2024;kleuter;46")
    with pytest.raises(ImportRefused) as refused:
        import_enrolments(path, actor="tester")
    assert refused.value.problems.lines() == [
        "pupils.csv:3: column schoolnummer: 9999 is not a known school",
        "pupils.csv:4: column intern_vplnummer: school 1001 has no location 7",
        "pupils.csv:5: column niveau: this count is already on line 2",
    ]
    assert not Enrolment.objects.exists()
