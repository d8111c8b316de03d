"""A plain table as a workbook (core/workbook.py): text stays text, never a formula; numbers
stay numbers; the sheet is named within Excel's rules."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from ictmonitor.core.workbook import sheet_name, table_workbook


def sheet_xml(book: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def strings(book: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        shared = archive.read("xl/sharedStrings.xml").decode()
    return re.findall(r"<t[^>]*>([^<]*)</t>", shared)


def test_text_that_looks_like_a_formula_is_written_as_text():
    book = table_workbook("Schools", ["School", "Pupils"],
                          [["=HYPERLINK(\"http://x\")", 12], ["+cmd", None]])
    sheet = sheet_xml(book)
    assert "<f>" not in sheet  # no cell is a formula
    assert '=HYPERLINK("http://x")' in [t.replace("&quot;", '"') for t in strings(book)]
    assert "+cmd" in strings(book)


def test_numbers_stay_numbers_and_none_is_empty():
    sheet = sheet_xml(table_workbook("T", ["a", "b", "c"], [[1, 2.5, Decimal("3.25")],
                                                             [None, True, "x"]]))
    numbers = dict(re.findall(r'<c r="([A-Z]+\d+)"(?: s="\d+")?><v>([^<]*)</v>', sheet))
    assert numbers == {"A4": "1", "B4": "2.5", "C4": "3.25"}


def test_an_empty_table_keeps_its_headers():
    assert strings(table_workbook("Empty", ["School", "Line"], []))[-2:] == ["School", "Line"]


def test_sheet_names_follow_excels_rules():
    assert sheet_name("a/b:c?" + "x" * 40) == ("a b c " + "x" * 40)[:31].strip()
    assert sheet_name("[]", "report") == "report"
