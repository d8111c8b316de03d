"""A table as an Excel workbook, in the reports' look: a title, the table as an Excel table with
its filter buttons, numbers kept numbers, the header row frozen. The reports' workbook
(reports/exporters/xlsx.py) adds totals, a footer and a chart to the same look; pages that
offer a plain table for download (the board's matrix) write it here."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter

HEADER_COLOUR = "#1D4F7C"
BASE_FONT = {"font_name": "Calibri", "font_size": 11}
TOP_ROW = 2


def sheet_name(title: str, fallback: str = "table") -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or fallback


def table_workbook(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """The rows under their headers as one worksheet: text stays text (never a formula: it is
    written as a string), numbers stay numbers, None is an empty cell."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": title, "author": "ictmonitor"})
    heading = book.add_format({**BASE_FONT, "bold": True, "font_size": 14})
    header = book.add_format({**BASE_FONT, "bold": True, "font_color": "#FFFFFF",
                              "bg_color": HEADER_COLOUR, "text_wrap": True, "valign": "top"})
    text = book.add_format(BASE_FONT)
    number = book.add_format({**BASE_FONT, "num_format": "#,##0.##"})
    sheet = book.add_worksheet(sheet_name(title))
    sheet.write_string(0, 0, title, heading)
    widths = [len(h) for h in headers]
    for r, row in enumerate(rows, start=TOP_ROW + 1):
        for c, value in enumerate(row):
            if value is None:
                sheet.write_blank(r, c, None, text)
            elif isinstance(value, bool):
                sheet.write_string(r, c, str(value), text)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(r, c, float(value), number)
                widths[c] = max(widths[c], len(f"{float(value):,.0f}") + 2)
            else:
                sheet.write_string(r, c, str(value), text)
                widths[c] = max(widths[c], len(str(value)))
    columns = [{"header": h, "header_format": header} for h in headers]
    if rows:
        sheet.add_table(TOP_ROW, 0, TOP_ROW + len(rows), len(headers) - 1,
                        {"name": "Table", "style": "Table Style Light 15", "autofilter": True,
                         "columns": columns})
    else:
        for c, h in enumerate(headers):
            sheet.write_string(TOP_ROW, c, h, header)
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(max(width + 2, 10), 60))
    sheet.freeze_panes(TOP_ROW + 1, 0)
    book.close()
    return out.getvalue()
