"""The first reports, computed from raw school lists and pupil counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ictmonitor.core.problems import ImportRefused
from ictmonitor.registry.importers import import_enrolments, import_school_list
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import ReportError, catalogue, get_report, run_report
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

BLANK = {"provinciecode": "", "provincie": ""}


@pytest.fixture
def schools(tmp_path):
    """Six institutions; two leave their province blank for the importer to derive."""
    write(tmp_path / "schools.csv", [
        row(schoolnummer="1"),
        row(schoolnummer="1", intern_vplnummer="2", hoofdzetel="False", niscode="44021",
            postcode="9000", provinciecode="4", provincie="Oost-Vlaanderen"),
        row(schoolnummer="2", onderwijsniveau="SO", instellingstype="School voor voltijds "
            "gewoon secundair onderwijs"),
        row(schoolnummer="3", niscode="71072", postcode="3500", **BLANK),
        row(schoolnummer="4", niscode="", postcode="2070", **BLANK),
        row(schoolnummer="5", onderwijsniveau="SO", niscode="31005", postcode="8000",
            provinciecode="3", provincie="West-Vlaanderen"),
        row(schoolnummer="6", einddatum="31/08/2020"),
    ])
    import_school_list(tmp_path / "schools.csv", actor="test")


def schools_by(by, **options):
    result = run_report(get_report("schools"), Parameters(by=by, at=date(2026, 1, 1),
                                                           **options))
    return result


def test_schools_by_level_and_province_counts_institutions_with_derived_provinces(schools):
    result = schools_by(("level", "province"))
    counts = {(r["level"], r["province"]): (r["institutions"], r["locations"])
              for r in result.rows}
    assert counts == {
        ("basis", "antwerpen"): (1, 1),          # school 1, by its main location
        ("basis", "oost-vlaanderen"): (1, 2),    # school 4 (2070, derived); school 1's 2nd
        ("basis", "limburg"): (1, 1),            # school 3 (derived from REFNIS)
        ("secundair", "antwerpen"): (1, 1),
        ("secundair", "west-vlaanderen"): (1, 1),
    }
    assert result.totals == {"institutions": 5, "locations": 6}
    assert result.labels["province"]["oost-vlaanderen"] == "Oost-Vlaanderen"
    assert result.labels["level"]["basis"] == "basisonderwijs"


def test_an_institution_is_counted_only_while_it_is_active(schools):
    assert schools_by(()).totals["institutions"] == 5
    before = run_report(get_report("schools"), Parameters(at=date(2019, 1, 1)))
    assert before.totals["institutions"] == 6


def test_rows_are_sorted_by_their_codes_and_labels_follow_the_language(schools):
    result = schools_by(("province",), language="en")
    assert [r["province"] for r in result.rows] == sorted(r["province"] for r in result.rows)
    assert result.labels["province"]["west-vlaanderen"] == "West Flanders"


def test_a_refused_import_changes_no_figure(schools, tmp_path):
    before = schools_by(("level", "province")).rows
    bad = write(tmp_path / "bad.csv", [row(schoolnummer="7"), row(schoolnummer="8",
                                                                  onderwijsniveau="??")])
    with pytest.raises(ImportRefused):
        import_school_list(bad, actor="test")
    assert schools_by(("level", "province")).rows == before


def test_reports_are_computed_with_a_few_grouped_queries(schools):
    with CaptureQueriesContext(connection) as queries:
        schools_by(("level", "province", "network"))
    assert len(queries) <= 8


def test_pupils_per_level_for_the_latest_year_and_a_chosen_year(schools, tmp_path):
    counts = tmp_path / "pupils.csv"
    counts.write_text(
        "schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen\n"
        "1;1;2023-2024;lager;100\n1;2;2023-2024;kleuter;40\n2;1;2023-2024;secundair;500\n"
        "1;1;2024-2025;lager;110\n2;1;2024-2025;secundair;520\n", encoding="utf-8")
    import_enrolments(counts, actor="test")
    pupils = get_report("pupils")
    latest = run_report(pupils, Parameters(by=("level",)))
    assert {r["level"]: r["pupils"] for r in latest.rows} == {"basis": 110, "secundair": 520}
    chosen = run_report(pupils, Parameters(by=("province",), year=2023))
    assert {r["province"]: r["pupils"] for r in chosen.rows} == {
        "antwerpen": 600, "oost-vlaanderen": 40}
    by_year = run_report(pupils, Parameters(by=("year",)))
    assert [r["year"] for r in by_year.rows] == ["2023-2024", "2024-2025"]
    with pytest.raises(ReportError, match="no pupil counts for school year 2019-2020"):
        run_report(pupils, Parameters(year=2019))


def test_parameters_a_report_does_not_have_are_refused():
    with pytest.raises(ReportError, match="cannot be broken down by wave"):
        run_report(get_report("schools"), Parameters(by=("wave",)))
    with pytest.raises(ReportError, match="does not use --year"):
        run_report(get_report("schools"), Parameters(year=2020))
    with pytest.raises(ReportError, match="no report 'nope'"):
        get_report("nope")


def test_every_report_in_the_catalogue_runs_on_an_empty_registry():
    for report in catalogue().values():
        result = run_report(report, Parameters(by=tuple(report.typical_by)))
        assert result.as_json()["report"] == report.id
