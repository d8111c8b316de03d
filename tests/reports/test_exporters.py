"""Every download of a report: the same figures, `x` where suppressed, the rule when public."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import subprocess
from datetime import date

import openpyxl
import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from ictmonitor.core.translation import message
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report
from ictmonitor.reports.exporters import FORMATS, content_type, export, file_name
from ictmonitor.reports.exporters.csvfile import datapackage
from ictmonitor.reports.exporters.pdf import render_pack
from tests.reports import RULE, VOUCHERS, result, vouchers

KEYS = ["report", "title", "generated_at", "parameters", "dimensions", "measures", "rows",
        "totals", "labels", "rule"]



def pdf_text(data: bytes, page: int | None = None) -> str:
    """The text of a PDF (or of one page), as pdftotext reads it."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: run `make system-deps` (poppler-utils)")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    done = subprocess.run(["pdftotext", "-layout", *pages, "-", "-"], input=data,
                          capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_json_is_the_contract_document():
    data = json.loads(export(vouchers(), "json").decode("utf-8"))
    assert list(data) == KEYS
    assert data == json.loads(json.dumps(vouchers().as_json()))
    limburg = data["rows"][1]
    assert limburg["activated"] is None and limburg["activated_flag"] == "c"
    assert data["rows"][0]["activation_rate"] == 0.8
    assert data["rule"] == RULE
    assert json.loads(export(vouchers(public=False), "json"))["rule"] is None


def test_csv_is_open_data_with_codes_labels_and_a_total_row():
    data = export(vouchers(), "csv")
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["province", "province_label", "requested", "activated",
                       "activation_rate"]
    assert rows[1] == ["antwerpen", "Antwerpen", "1200", "960", "0.8"]
    assert rows[2][3] == "x"
    assert rows[-1][:4] == ["total", "Totaal", "3460", "2090"]
    assert not any(row[0].startswith("#") for row in rows)


def test_the_csv_data_package_carries_the_rule_and_marks_less_than_ten_missing():
    package = datapackage(vouchers())
    resource = package["resources"][0]
    assert resource["path"] == file_name(vouchers(), "csv")
    assert "x" in resource["schema"]["missingValues"]
    assert [f["name"] for f in resource["schema"]["fields"]][:2] == ["province",
                                                                     "province_label"]
    assert package["disclosure_control"] == RULE


def test_xlsx_has_the_table_formats_footer_chart_and_parameters():
    book = openpyxl.load_workbook(io.BytesIO(export(vouchers(), "xlsx")))
    sheet = book.worksheets[0]
    cells = {(c.row, c.column): c for row in sheet.iter_rows() for c in row}
    assert cells[1, 1].value == "Vouchers"
    assert cells[2, 1].value == VOUCHERS.question("nl")
    assert [cells[4, c].value for c in range(1, 5)] == [
        "Provincie", "Aangevraagd", "Geactiveerd", "Activatiegraad"]
    assert [cells[5, c].value for c in range(1, 5)] == ["Antwerpen", 1200, 960, 0.8]
    assert cells[6, 3].value == "x"
    assert "%" in cells[5, 4].number_format
    assert "#,##0" in cells[5, 2].number_format
    assert [cells[9, c].value for c in range(1, 3)] == ["Totaal", 3460]
    texts = [c.value for c in cells.values() if isinstance(c.value, str)]
    assert RULE in texts and "Voucherfeeds van de providers (Telenet, Proximus)" in texts
    assert "Report" in sheet.tables
    assert len(sheet._charts) == 1
    about = {row[0]: row[1] for row in book["about"].iter_rows(values_only=True)}
    assert about["Peildatum"] == "1 maart 2021"
    assert about["Uitgesplitst naar"] == "provincie"


def test_xlsx_leaves_the_chart_out_for_more_than_forty_categories():
    rows = [{"school": str(100000 + i), "requested": i} for i in range(41)]
    many = result(rows, {"requested": 820}, by=("school",),
                  labels={"school": {r["school"]: f"School {r['school']}" for r in rows}})
    book = openpyxl.load_workbook(io.BytesIO(export(many, "xlsx")))
    assert book.worksheets[0]._charts == []
    assert book.worksheets[0].cell(5, 1).value == "100000"  # a school's number beside its name


def test_pdf_states_question_table_and_the_rule_when_public():
    data = export(vouchers(), "pdf")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert VOUCHERS.question("nl") in text
    assert " ".join(RULE.split()) in text
    assert "Voucherfeeds van de providers" in text and "Pagina 1 van 1" in text
    assert " x " in f" {text} ".replace("\n", " ") and "80,0%" in text and "3.460" in text


def test_an_analysts_pdf_in_english_has_no_rule():
    text = pdf_text(export(vouchers(public=False, language="en"), "pdf"))
    assert VOUCHERS.question("en") in text and "Page 1 of 1" in text
    assert "Disclosure control:" not in text and "80.0%" in text


def test_the_pack_has_a_title_page_then_one_section_per_result():
    other = dataclasses.replace(VOUCHERS, id="other", question=message(
        "Home-internet vouchers for pupils"))  # a text the Dutch catalogue has
    results = [vouchers(), result(vouchers().rows, vouchers().totals, report=other)]
    data = render_pack(results, "nl")
    assert data.startswith(b"%PDF")
    title_page = pdf_text(data, 1)
    assert "Parlementaire antwoordmap" in title_page and "Inhoud" in title_page
    assert VOUCHERS.question("nl") in pdf_text(data, 2)
    assert "Internetvouchers voor leerlingen" in pdf_text(data, 3)
    assert "Pagina 3 van 3" in pdf_text(data, 3)


def test_the_table_is_accessible_and_formatted_per_language():
    html = render_to_string("reports/_table.html", {"result": vouchers(), "language": "nl"})
    assert f"<caption>{VOUCHERS.question('nl')}</caption>" in html
    assert '<th scope="col">Provincie</th>' in html
    assert '<th scope="row">Oost-Vlaanderen</th>' in html
    assert ">x</abbr>" in html and "1.200" in html and "80,0%" in html
    assert '<th scope="row">Totaal</th>' in html
    english = render_to_string("reports/_table.html", {"result": vouchers(language="en")})
    assert "1,200" in english and "Total" in english


def test_formats_have_names_and_media_types():
    assert FORMATS == ("json", "csv", "xlsx", "pdf")
    assert file_name(vouchers(), "csv") == "voucher-summary-by-province-2021-03-01-public.csv"
    assert content_type("xlsx").endswith("spreadsheetml.sheet")
    with pytest.raises(ValueError, match="no export format"):
        export(vouchers(), "docx")


@pytest.mark.django_db
def test_the_schools_report_exports_from_the_database():
    from ictmonitor.registry.models import Institution, Location, Province

    now = timezone.now()
    stamp = {"created_at": now, "updated_at": now, "changed_by": "test"}
    provinces = {code: Province.objects.get_or_create(code=code, defaults={
        "name_nl": name, "name_en": name, "country": "BE"})[0]
        for code, name in (("antwerpen", "Antwerpen"), ("limburg", "Limburg"))}
    for number, province, locations in (("1", "antwerpen", 2), ("2", "antwerpen", 1),
                                        ("3", "limburg", 1)):
        institution = Institution.objects.create(
            number=number, country="BE", name=f"School {number}", level="basis",
            province=provinces[province], **stamp)
        for n in range(locations):
            Location.objects.create(institution=institution, number=str(n + 1),
                                    name=f"Vestiging {n + 1}", province=provinces[province],
                                    is_main=n == 0, **stamp)
    figures = run_report(get_report("schools"), Parameters(by=("province",),
                                                           at=date(2025, 1, 1)))
    rows = list(csv.reader(io.StringIO(export(figures, "csv").decode())))
    assert rows[1:] == [["antwerpen", "Antwerpen", "2", "3"], ["limburg", "Limburg", "1", "1"],
                        ["total", "Totaal", "3", "4"]]
    book = openpyxl.load_workbook(io.BytesIO(export(figures, "xlsx")))
    assert book.worksheets[0].cell(5, 1).value == "Antwerpen"
    assert json.loads(export(figures, "json"))["totals"] == {"institutions": 3, "locations": 4}
    pdf = export(figures, "pdf")
    if shutil.which("pdftotext"):
        assert get_report("schools").question("nl") in pdf_text(pdf)


def test_a_measure_that_lists_codes_reads_as_text_everywhere():
    lists = dataclasses.replace(VOUCHERS, measures=(
        VOUCHERS.measure("requested"),
        dataclasses.replace(VOUCHERS.measure("requested"), code="modules")))
    rows = [{"province": "antwerpen", "requested": 3, "modules": "firewall|wifi"},
            {"province": "limburg", "requested": 1, "modules": ""}]
    listed = result(rows, {"requested": 4}, report=lists)
    html = render_to_string("reports/_table.html", {"result": listed, "language": "nl"})
    assert '<td class="text">firewall, wifi</td>' in html
    sheet = openpyxl.load_workbook(io.BytesIO(export(listed, "xlsx"))).worksheets[0]
    assert sheet.cell(5, 3).value == "firewall, wifi"
    assert list(csv.reader(io.StringIO(export(listed, "csv").decode())))[1][-1] == "firewall|wifi"


def test_a_pdf_table_stops_at_its_limit_and_says_where_the_rest_is():
    rows = [{"school": str(100000 + i), "requested": 20} for i in range(600)]
    many = result(rows, {"requested": 12000}, by=("school",),
                  labels={"school": {r["school"]: f"School {r['school']}" for r in rows}})
    text = pdf_text(export(many, "pdf"))
    assert "De eerste 500 van 600 rijen" in text
    assert "School 100499" in text and "School 100500" not in text
    assert "12.000" in text


def test_an_xlsx_table_stops_at_its_limit_and_says_where_the_rest_is(monkeypatch):
    from ictmonitor.reports.exporters import xlsx

    monkeypatch.setattr(xlsx, "XLSX_ROW_LIMIT", 50)
    rows = [{"school": str(100000 + i), "requested": 20} for i in range(60)]
    many = result(rows, {"requested": 1200}, by=("school",),
                  labels={"school": {r["school"]: f"School {r['school']}" for r in rows}})
    sheet = openpyxl.load_workbook(io.BytesIO(export(many, "xlsx"))).worksheets[0]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "School 100049" in cells and "School 100050" not in cells
    assert any(c.startswith("De eerste 50 van 60 rijen") for c in cells)
    assert 1200 in [c.value for row in sheet.iter_rows() for c in row]  # the total: every row
