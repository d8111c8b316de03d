"""`ictmonitor report tariff --scenario NAME|FILE --by year`: a scenario's tariff per year."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ictmonitor.reports.definitions import MONEY, Parameters
from ictmonitor.reports.engine import ReportError, get_report, run_report

pytestmark = pytest.mark.django_db


def tariff_json(tmp_path: Path, *args: str) -> dict:
    """The report as the command writes it in JSON."""
    out = tmp_path / "tariff.json"
    call_command("report", "tariff", *args, "--format", "json", "--output", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_command_shows_years_one_and_two_far_above_year_five(tmp_path: Path) -> None:
    doc = tariff_json(tmp_path, "--scenario", "sivon-2018", "--by", "year")
    assert doc["dimensions"] == ["year"]
    assert doc["measures"] == ["members", "tariff_per_school", "tariff_per_pupil",
                               "subsidy_needed"]
    assert doc["parameters"]["scenario"] == "sivon-2018"
    rows = doc["rows"]
    assert [r["year"] for r in rows] == ["2018", "2019", "2020", "2021", "2022"]
    assert [r["members"] for r in rows] == [500, 1500, 3000, 4500, 5500]
    assert rows[0]["tariff_per_school"] == 19300
    assert rows[0]["tariff_per_school"] > 5 * rows[4]["tariff_per_school"]
    assert rows[1]["tariff_per_school"] > 2 * rows[4]["tariff_per_school"]
    assert rows[0]["subsidy_needed"] > 0 and rows[4]["subsidy_needed"] == 0
    assert doc["totals"]["subsidy_needed"] == sum(r["subsidy_needed"] for r in rows)


def test_without_a_scenario_the_report_uses_sivon_2018() -> None:
    report = get_report("tariff")
    assert report.uses == frozenset({"scenario"})
    assert all(m.kind == MONEY for m in report.measures if m.code != "members")
    result = run_report(report, Parameters(by=("year",)))
    assert result.rows[4]["tariff_per_school"] == Decimal("2300.00")
    assert result.labels["year"]["2018"] == "2018"


def test_a_scenario_file_works_too(tmp_path: Path) -> None:
    path = tmp_path / "two-years.yaml"
    path.write_text("start_year: 2030\nmembership: {schools: [10, 40], pupils: [1000, 4000]}\n"
                    "costs: {operation: {fixed: 40000, per_school: 500}}\n"
                    "consumer_price: 900\n", encoding="utf-8")
    doc = tariff_json(tmp_path, "--scenario", str(path), "--by", "year")
    assert [r["tariff_per_school"] for r in doc["rows"]] == [4500, 1500]
    assert [r["tariff_per_pupil"] for r in doc["rows"]] == [45, 15]


def test_an_unknown_scenario_or_a_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such scenario; shipped: .*sivon-2018"):
        tariff_json(tmp_path, "--scenario", "nope", "--by", "year")
    bad = tmp_path / "bad.yaml"
    bad.write_text("start_year: 2030\nmembership: {schools: [10], pupils: [0]}\n"
                   "costs: {}\nconsumer_price: 900\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.yaml: membership\.pupils\[0\]: "):
        tariff_json(tmp_path, "--scenario", str(bad), "--by", "year")
    with pytest.raises(ReportError, match="nope"):
        run_report(get_report("tariff"), Parameters(options={"scenario": "nope"}))


def test_other_reports_refuse_a_scenario() -> None:
    with pytest.raises(ReportError, match="does not use --scenario"):
        run_report(get_report("schools"), Parameters(options={"scenario": "sivon-2018"}))


def test_the_report_downloads_as_pdf_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "tariff.pdf"
    call_command("report", "tariff", "--by", "year", "--output", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    csv = tmp_path / "tariff.csv"
    call_command("report", "tariff", "--by", "year", "--output", str(csv))
    assert "2018" in csv.read_text(encoding="utf-8")
