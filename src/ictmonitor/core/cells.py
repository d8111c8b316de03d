"""Turning the text of a cell into a value, or a message saying what was expected."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext_noop as _

from ictmonitor.core.problems import SOURCE_LANGUAGE, say

OPEN_ENDED = {"01/01/0001", "31/12/4444", "0001-01-01", "4444-12-31"}
_TRUE = {"true", "waar", "ja", "yes", "1"}
_FALSE = {"false", "onwaar", "nee", "no", "0", ""}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class CellError(ValueError):
    """The cell's text is not what the contract expects; the message (a msgid of the code,
    with its named parameters: core/problems.py) says what was; str() is the English."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return say(self.message, self.params, SOURCE_LANGUAGE)


def text(value: str, *, max_length: int, required: bool = False) -> str:
    """Free text within the column's length; no NUL characters."""
    if required and not value:
        raise CellError(_("is empty; a value is required"))
    if "\x00" in value:
        raise CellError(_("contains a NUL character"))
    if len(value) > max_length:
        raise CellError(_("is %(length)s characters long; at most %(most)s fit"),
                        length=len(value), most=max_length)
    return value


def digits(value: str, *, max_length: int = 10, required: bool = False) -> str:
    """A number written with digits only, kept as text (leading zeros matter)."""
    if not value:
        if required:
            raise CellError(_("is empty; a number is required"))
        return ""
    if not value.isdigit() or not value.isascii() or len(value) > max_length:
        raise CellError(_("%(value)r is not a number of at most %(most)s digits"),
                        value=value, most=max_length)
    return value


def whole_number(value: str, *, minimum: int = 0, required: bool = True) -> int | None:
    """A whole number ≥ minimum."""
    if not value:
        if required:
            raise CellError(_("is empty; a whole number is required"))
        return None
    if not re.fullmatch(r"-?\d+", value):
        raise CellError(_("%(value)r is not a whole number"), value=value)
    number = int(value)
    if number < minimum:
        raise CellError(_("%(number)s is below %(minimum)s"), number=number, minimum=minimum)
    if number > 2_147_483_647:
        raise CellError(_("%(number)s is too large"), number=number)
    return number


def boolean(value: str) -> bool:
    """True/False as the department writes it (also Waar/Onwaar, ja/nee, 1/0)."""
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellError(_("%(value)r is not True or False"), value=value)


def day_month_year(value: str) -> date | None:
    """A dd/mm/yyyy date; empty, 01/01/0001 and 31/12/4444 mean open-ended (None)."""
    if not value or value in OPEN_ENDED:
        return None
    match = _DMY.match(value)
    if not match:
        raise CellError(_("%(value)r is not a date written dd/mm/yyyy"), value=value)
    day, month, year = (int(g) for g in match.groups())
    return _date(value, year, month, day)


def iso_date(value: str) -> date | None:
    """A YYYY-MM-DD date; empty means unknown or open-ended (None)."""
    if not value:
        return None
    match = _ISO.match(value)
    if not match:
        raise CellError(_("%(value)r is not a date written YYYY-MM-DD"), value=value)
    year, month, day = (int(g) for g in match.groups())
    return _date(value, year, month, day)


def _date(value: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(_("%(value)r is not a real date"), value=value) from None


def coordinate(value: str) -> int | None:
    """A Lambert-72 coordinate in metres; empty or 0 means unknown."""
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise CellError(_("%(value)r is not a coordinate in metres"), value=value) from None
    if not 0 <= number < 1_000_000:
        raise CellError(_("%(value)r lies outside Belgium's Lambert-72 grid"),
                        value=value)
    return round(number) or None
