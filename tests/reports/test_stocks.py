"""A stock (pupils, institutions, valid labels, active lines) is never added across dates."""

from __future__ import annotations

import csv
import io

import pytest

from ictmonitor.core.disclosure import rule_text
from ictmonitor.registry.importers import import_enrolments
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import catalogue, get_report, run_report
from ictmonitor.reports.exporters import export
from tests.reports.test_catalogue import schools  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("schools")]


@pytest.fixture(autouse=True)
def two_school_years(schools, tmp_path):  # noqa: F811 (the fixture imported above)
    counts = tmp_path / "pupils.csv"
    counts.write_text(
        "schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen\n"
        "1;1;2023-2024;lager;100\n1;2;2023-2024;kleuter;40\n2;1;2023-2024;secundair;500\n"
        "1;1;2024-2025;lager;110\n2;1;2024-2025;secundair;520\n", encoding="utf-8")
    import_enrolments(counts, actor="test")


def pupils(*by, **options):
    return run_report(get_report("pupils"), Parameters(by=by, **options))


@pytest.mark.parametrize("by", [("year",), ("level", "year"), ("year", "province")])
def test_pupils_of_different_school_years_are_never_added_into_a_total(by):
    result = pupils(*by)
    assert {row["year"] for row in result.rows} == {"2023-2024", "2024-2025"}
    assert result.totals == {"pupils": None}
    assert "niet over jaren of maanden heen opgeteld" in result.rule


def test_the_empty_total_and_its_reason_in_every_file_and_in_english():
    result = pupils("year", language="en")
    assert result.rule.startswith("The total of pupils is left empty")
    rows = list(csv.reader(io.StringIO(export(result, "csv").decode("utf-8"))))
    assert rows[-1] == ["total", "Total", ""]
    assert [row[2] for row in rows[1:-1]] == ["640", "630"]


def test_a_public_breakdown_by_year_states_both_rules():
    result = pupils("year", public=True)
    assert result.totals.get("pupils") is None
    assert result.rule.startswith(rule_text("nl"))
    assert result.rule.endswith("niet over jaren of maanden heen opgeteld.")


def test_one_school_year_keeps_its_total():
    assert pupils("level").totals == {"pupils": 630}  # the latest year
    assert pupils("province", year=2023).totals == {"pupils": 640}
    assert pupils("level").rule is None


def test_every_date_dimension_in_the_catalogue_is_on_a_flow_or_a_declared_stock():
    """Reports broken down by year or month: which measures their totals add up."""
    dated = {report.id: [m.code for m in report.measures if not m.stock]
             for report in catalogue().values()
             if {"year", "month"} & set(report.dimensions)}
    assert dated == {
        "pupils": [],  # a stock: no total across years
        "connectivity-adoption": ["lines_started", "lines_ended"],  # flows in each month
        # flows: their sum is right; the rate per month of the total is over the whole record
        "connectivity-requests": ["requests", "requests_per_month"],
        "label-awards": ["awards"],
        "incidents": ["incidents"],  # incidents that happened in the period: a flow
        # Labels whose validity ended in the year; the schools assessed twice and their mean
        # change are not added across years.
        "assessment-progress": ["renewed", "lapsed"],
        # Measured lines: availability over every ping of the year and the time on backup
        # added up are right; lines, medians and shares are judged per month, not added up.
        "connectivity-quality": ["availability_school_hours", "hours_on_backup"],
        # Failovers in the year add up; the median spell is taken over every spell of the year.
        "failovers": ["failovers", "median_minutes_on_backup"],
        # A scenario's years: its members, pupils and cash position are those at the period's
        # end, its working capital the period's deepest need: none of them a sum.
        "tariff": ["members", "pupils", "cost", "subsidy", "tariff_per_school",
                   "tariff_per_pupil", "rural_school_total", "consumer_line", "flat_tariff",
                   "flat_tariff_cash_position", "working_capital_needed"],
    }
