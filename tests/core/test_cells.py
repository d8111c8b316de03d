"""Cell parsers: what they accept and the messages they give."""

from datetime import date

import pytest

from ictmonitor.core import cells


def test_department_dates_with_sentinels_mean_open_ended():
    assert cells.day_month_year("01/01/0001") is None
    assert cells.day_month_year("31/12/4444") is None
    assert cells.day_month_year("") is None
    assert cells.day_month_year("1/9/2023") == date(2023, 9, 1)


@pytest.mark.parametrize("value", ["2023-09-01", "31/02/2023", "1.9.2023"])
def test_a_date_that_is_not_dd_mm_yyyy_is_named(value):
    with pytest.raises(cells.CellError, match=repr(value)):
        cells.day_month_year(value)


def test_booleans_as_the_department_writes_them():
    assert cells.boolean("True") is True
    assert cells.boolean("onwaar") is False
    with pytest.raises(cells.CellError):
        cells.boolean("maybe")


def test_whole_numbers_refuse_negatives_and_decimals():
    assert cells.whole_number("12") == 12
    for bad in ["-1", "1.5", "x"]:
        with pytest.raises(cells.CellError):
            cells.whole_number(bad)


def test_text_refuses_nul_and_overlong_values():
    with pytest.raises(cells.CellError, match="NUL"):
        cells.text("a\x00b", max_length=10)
    with pytest.raises(cells.CellError, match="at most 3"):
        cells.text("abcd", max_length=3)


def test_zero_coordinates_mean_unknown():
    assert cells.coordinate("0") is None
    assert cells.coordinate("148311") == 148311
    with pytest.raises(cells.CellError):
        cells.coordinate("-5")
