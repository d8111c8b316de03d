"""Reading CSV files in every variant the contracts allow."""

import codecs
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictmonitor.core.csvfiles import (
    Column,
    CsvFile,
    HeaderError,
    detect_delimiter,
    iter_records,
    read_header,
)


def records(path, encoding="utf-8"):
    with CsvFile(path).open_text(encoding) as text:
        return list(iter_records(text))


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_every_delimiter_line_end_and_bom_reads_the_same(tmp_path, line_end, delimiter, bom):
    path = tmp_path / "f.csv"
    body = line_end.join(delimiter.join(r) for r in [["a", "b"], ["1", "é"], ["2", "ü"]])
    path.write_bytes(bom + (body + line_end).encode("utf-8"))
    assert records(path) == [(1, ["a", "b"]), (2, ["1", "é"]), (3, ["2", "ü"])]


def test_a_quoted_line_break_keeps_the_line_numbers_an_editor_shows(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('a,b\n1,"two\nlines"\n3,x\n', encoding="utf-8")
    assert records(path) == [(1, ["a", "b"]), (2, ["1", "two\nlines"]), (4, ["3", "x"])]


def test_blank_lines_are_skipped_but_counted(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("a;b\n\n1;2\n\n", encoding="utf-8")
    assert records(path) == [(1, ["a", "b"]), (3, ["1", "2"])]


def test_delimiter_inside_quotes_does_not_count():
    assert detect_delimiter('"a;b;c",d,e\n') == ","
    assert detect_delimiter("a;b,c;d\n") == ";"


def test_headers_match_ignoring_case_and_spaces_and_report_unknown_columns():
    header = read_header([" SchoolNummer ", "extra", "Naam"],
                         [Column("schoolnummer"), Column("naam")])
    assert header.positions == {"schoolnummer": 0, "naam": 2}
    assert header.unknown == ["extra"]


def test_aliases_are_accepted_and_missing_columns_named():
    header = read_header(["BRIN NUMMER"], [Column("INSTELLINGSCODE", aliases=("BRIN NUMMER",))])
    assert header.positions == {"INSTELLINGSCODE": 0}
    with pytest.raises(HeaderError) as error:
        read_header(["a"], [Column("a"), Column("b"), Column("c", required=False)])
    assert error.value.missing == ["b"]


def test_a_byte_that_is_not_utf8_is_located_by_line_and_column(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"a;b\n1;ok\n2;caf\xe9\n")
    error = CsvFile(path).locate_decoding_error("utf-8")
    assert (error.line, error.column, error.byte) == (3, 6, 0xE9)


cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=8),
    delimiter=st.sampled_from([";", ","]),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_table_written_by_a_csv_writer_reads_back_unchanged(tmp_path_factory, rows,
                                                                delimiter, line_end):
    rows = [r for r in rows if any(c.strip() for c in r)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end,
                        quoting=csv.QUOTE_ALL)
    writer.writerow(["a", "b", "c"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("csv") / "f.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    read = [cells for _, cells in records(path)]
    assert read == [["a", "b", "c"], *rows]
