"""What a contract's fast reading is made of (core/quickrows.py): a parser's answers by text."""

from __future__ import annotations

import pytest

from ictmonitor.core import cells
from ictmonitor.core.quickrows import Answers, shared


def test_answers_parse_each_text_once_within_bounds_and_refuse_as_the_parser_does() -> None:
    parsed: list[str] = []

    def parse(value: str) -> int | None:
        parsed.append(value)
        return cells.whole_number(value)

    answers = Answers(parse, most=2)
    assert [answers[t] for t in (" 7 ", " 7 ", "8", "9", "9")] == [7, 7, 8, 9, 9]
    assert parsed == ["7", "8", "9", "9"]  # stripped as the generic reading does; 9 not kept
    assert dict(answers) == {" 7 ": 7, "8": 8}
    with pytest.raises(cells.CellError):
        answers["x"]
    assert "x" not in answers


def test_columns_of_one_parser_share_their_answers() -> None:
    first, second, other = shared([cells.whole_number, cells.whole_number, cells.iso_date])
    assert first is second and other is not first
