"""`ictmonitor report tariff --scenario NAME|FILE --by year`: a scenario's tariff per year."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from ictmonitor.reports.definitions import MONEY, Parameters
from ictmonitor.reports.engine import ReportError, get_report, run_report
from ictmonitor.reports.exporters import export
from ictmonitor.reports.exporters.csvfile import datapackage
from tests.reports.test_exporters import pdf_text

pytestmark = pytest.mark.django_db


def tariff_json(tmp_path: Path, *args: str) -> dict:
    """The report as the command writes it in JSON."""
    out = tmp_path / "tariff.json"
    call_command("report", "tariff", *args, "--format", "json", "--output", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


MEASURES = ["members", "pupils", "cost", "subsidy", "tariff_per_school", "tariff_per_pupil",
            "rural_school_total", "consumer_line", "flat_tariff", "flat_tariff_cash_position",
            "working_capital_needed"]


def test_the_command_shows_years_one_and_two_far_above_year_five(tmp_path: Path) -> None:
    doc = tariff_json(tmp_path, "--scenario", "sivon-2018", "--by", "year")
    assert doc["dimensions"] == ["year"]
    assert doc["measures"] == MEASURES
    assert doc["parameters"]["scenario"] == "sivon-2018"
    rows = doc["rows"]
    assert [r["year"] for r in rows] == ["2018", "2019", "2020", "2021", "2022"]
    assert [r["members"] for r in rows] == [500, 1500, 3000, 4500, 5500]
    assert rows[0]["tariff_per_school"] == 19300
    assert rows[0]["tariff_per_school"] > 5 * rows[4]["tariff_per_school"]
    assert rows[1]["tariff_per_school"] > 2 * rows[4]["tariff_per_school"]
    assert sum(r["cost"] for r in rows) == doc["totals"]["cost"] == 55_000_000


def test_the_json_holds_the_consumer_line_the_rural_school_and_the_financing(
        tmp_path: Path) -> None:
    doc = tariff_json(tmp_path, "--by", "year")
    rows, totals = doc["rows"], doc["totals"]
    assert [r["rural_school_total"] for r in rows] == [21700, 9366.67, 5866.67, 5033.33, 4700]
    assert [r["consumer_line"] for r in rows] == [900] * 5
    assert [r["flat_tariff"] for r in rows] == [3666.67] * 5
    assert [r["flat_tariff_cash_position"] for r in rows] == [
        -7816666.67, -12766666.67, -12166666.67, -7516666.67, 0]
    assert [r["working_capital_needed"] for r in rows] == [7816666.67] + [12766666.67] * 4
    assert totals["working_capital_needed"] == 12766666.67
    assert totals["flat_tariff"] == totals["tariff_per_school"] == 3666.67
    assert doc["financing"] == {"flat_tariff": 3666.67, "working_capital_needed": 12766666.67,
                                "deepest_year": 2019, "back_to_zero_year": 2022}
    assert "subsidy_needed" not in json.dumps(doc)


def test_the_json_holds_the_scenarios_assumptions_and_the_sensitivity(tmp_path: Path) -> None:
    doc = tariff_json(tmp_path)  # totals only: the assumptions come along all the same
    assumptions = doc["assumptions"]
    assert assumptions["name"] == "sivon-2018"
    assert assumptions["membership"]["schools"] == [500, 1500, 3000, 4500, 5500]
    assert assumptions["costs"]["operation"]["per_school"] == [1000] * 5
    assert assumptions["local_connection"] == {"urban": 600, "rural": 2400,
                                               "rural_share": "0.25"}
    assert assumptions["consumer_price"] == [900] * 5
    assert any("55" in line for line in assumptions["assumptions"]["en"])
    assert doc["totals"]["working_capital_needed"] == 12766666.67
    cases = {(c["case"], c["factor"]): c for c in doc["sensitivity"]}
    assert set(cases) == {("as_planned", 1), ("membership", 0.8), ("membership", 1.2),
                          ("investment", 0.8), ("investment", 1.2)}
    assert cases["investment", 1.2]["working_capital_needed"] == 14500000
    assert cases["membership", 0.8]["first_tariff"] == 23800


def test_the_fibre_framework_scenario_reports_too(tmp_path: Path) -> None:
    doc = tariff_json(tmp_path, "--scenario", "flanders-fibre-2023", "--by", "year")
    assert [r["year"] for r in doc["rows"]] == ["2023", "2024", "2025", "2026", "2027"]
    assert doc["totals"]["cost"] == 59_000_000
    assert doc["totals"]["working_capital_needed"] == 4405806.45
    assert doc["rows"][0]["consumer_line"] == 1200
    assert all(line.startswith(("Public figure", "Estimate"))
               for line in doc["assumptions"]["assumptions"]["en"])


def test_without_a_scenario_the_report_uses_sivon_2018() -> None:
    report = get_report("tariff")
    assert report.uses == frozenset({"scenario"})
    assert all(m.kind == MONEY for m in report.measures if m.code not in ("members", "pupils"))
    result = run_report(report, Parameters(by=("year",)))
    assert result.rows[4]["tariff_per_school"] == Decimal("2300.00")
    assert result.totals["working_capital_needed"] == Decimal("12766666.67")
    assert result.annotations.data["assumptions"]["name"] == "sivon-2018"
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


def test_the_report_downloads_as_pdf_with_its_assumptions(tmp_path: Path) -> None:
    out = tmp_path / "tariff.pdf"
    call_command("report", "tariff", "--by", "year", "--output", str(out))
    dutch = pdf_text(out.read_bytes())
    assert "Veronderstelling" in dutch and "Berenschot" in dutch
    assert "Werkkapitaal" in dutch and "Kaspositie" in dutch  # headers wrap on the page
    assert "€ -12.766.666,67 € 12.766.666,67" in dutch  # 2019: cash, working capital
    assert "Consumentenlijn" in dutch and "€ 21.700,00" in dutch  # rural school, 2018
    result = run_report(get_report("tariff"), Parameters(by=("year",), language="en"))
    english = pdf_text(export(result, "pdf"))
    assert "Assumption" in english and "working capital" in english
    assert "Membership -20.0%: tariff €23,800.00 in the first year" in english


def test_the_csv_carries_the_figures_behind_the_tariff_and_its_package_the_assumptions(
        tmp_path: Path) -> None:
    csv_file = tmp_path / "tariff.csv"
    call_command("report", "tariff", "--by", "year", "--output", str(csv_file))
    lines = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
    assert [line["year"] for line in lines[:5]] == ["2018", "2019", "2020", "2021", "2022"]
    first = lines[0]
    assert first["cost"] == "9650000.00" and first["members"] == "500"
    assert first["rural_school_total"] == "21700.00" and first["consumer_line"] == "900.00"
    assert lines[1]["working_capital_needed"] == "12766666.67"
    assert lines[-1]["year"] == "total" and lines[-1]["working_capital_needed"] == "12766666.67"
    result = run_report(get_report("tariff"), Parameters(by=("year",), language="en"))
    notes = datapackage(result)["notes"]
    assert notes[0] == {"title": "Scenario", "text": "SIVON external connectivity (2018)"}
    assert any(n["title"] == "Assumption" and "Berenschot" in n["text"] for n in notes)
    assert any(n["title"] == "Financing" and "12,766,666.67" in n["text"] for n in notes)


def test_the_xlsx_states_the_assumptions_beside_the_table() -> None:
    result = run_report(get_report("tariff"), Parameters(by=("year",), language="nl"))
    book = openpyxl.load_workbook(io.BytesIO(export(result, "xlsx")))
    sheet, about = book.worksheets[0], book["about"]
    header = [c.value for c in sheet[4]]
    assert "Werkkapitaal nodig" in header and "Consumentenlijn" in header
    texts = [(row[0].value, row[1].value) for row in about.iter_rows(max_col=2)]
    assert ("Scenario", "SIVON externe connectiviteit (2018)") in texts
    assert any(key == "Veronderstelling" and "Berenschot" in text for key, text in texts)
    assert any(key == "Financiering" and "€\u00a012.766.666,67" in text for key, text in texts)
    assert any(key == "Gevoeligheid" and "Investering +20,0%" in text for key, text in texts)
    footer = [sheet.cell(row=r, column=2).value for r in range(1, sheet.max_row + 1)]
    assert any(text and "Berenschot" in str(text) for text in footer)


def test_the_report_page_shows_the_columns_and_the_assumptions(client_for) -> None:
    from django.urls import reverse

    url = reverse("reports:report", kwargs={"report_id": "tariff"})
    client = client_for("analyst")
    html = client.get(url, {"by": "year", "scenario": "flanders-fibre-2023"}).content.decode()
    text = " ".join(html.replace("\xa0", " ").split())
    assert "Werkkapitaal nodig" in text and "Consumentenlijn" in text
    assert "€ 4.405.806,45" in text
    assert "<dt>Veronderstelling</dt><dd>Publiek cijfer: raamovereenkomst met Telenet" in text
    assert "<dt>Financiering</dt>" in text and "<dt>Gevoeligheid</dt>" in text
    assert "scenario=flanders-fibre-2023" in html  # the downloads ask for the same scenario
    download = reverse("reports:download", kwargs={"report_id": "tariff", "fmt": "json"})
    doc = json.loads(client.get(download, {"by": "year", "scenario": "flanders-fibre-2023"})
                     .content)
    assert doc["assumptions"]["name"] == "flanders-fibre-2023"
    assert doc["totals"]["working_capital_needed"] == 4405806.45
    refused = client.get(url, {"by": "year", "scenario": "../etc/passwd"})
    assert "Werkkapitaal" not in refused.content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url, {"by": "year"}).content.decode().replace("\xa0", " ")
    assert "<dt>Assumption</dt><dd>Investment and operation together EUR 55M" in english
    assert "€12,766,666.67" in english


def test_the_published_data_package_carries_the_tariffs_assumptions(tmp_path: Path) -> None:
    from ictmonitor.reports.publishing import resource

    result = run_report(get_report("tariff"), Parameters(by=("year",), public=True))
    notes = resource(result, "tariff.csv")["notes"]
    assert notes[0] == {"title": "Scenario", "text": "SIVON externe connectiviteit (2018)"}
    assert any(n["title"] == "Financiering" and "€\u00a012.766.666,67" in n["text"]
               for n in notes)
    assert "notes" not in resource(run_report(get_report("schools"), Parameters()), "s.csv")
