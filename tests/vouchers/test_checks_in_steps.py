"""The voucher feed's set-based checks run in steps over the stage's lines, each told as it ends
(issue 13: a job's progress moves while they run), and find what they found at once: a code
repeated in another step, unknown requesters and schools."""

from __future__ import annotations

import pytest

from ictmonitor.core.problems import ImportRefused
from ictmonitor.vouchers.importers import import_vouchers
from ictmonitor.vouchers.models import Voucher
from tests.vouchers.conftest import feed, line

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("step_rows", [10_000, 2], ids=["one step", "steps of 2 lines"])
def test_the_checks_find_the_same_problems_in_steps_told_as_they_end(
        schools, tmp_path, settings, step_rows):
    settings.IMPORT_MERGE_SLICE_ROWS = step_rows
    path = feed(tmp_path, line(), line(code="T-0002", requester_id="9999"),
                line(code="T-0003", requested_by="municipality", requester_id="99999",
                     schoolnummer=""),
                line(code="T-0004", schoolnummer="7777"), line(code="T-0002"), line(),
                line(code="T-0005"))
    told: list[int] = []

    def progress(rows, done, size, problems=0, phase="reading", written=0, checked=0):
        if phase == "checking" and checked:
            told.append(checked)

    with pytest.raises(ImportRefused) as refused:
        import_vouchers(path, actor="test", progress=progress)
    assert refused.value.problems.lines() == [
        "feed.csv:3: column requester_id: 9999 is not a known school",
        "feed.csv:4: column requester_id: 99999 is not a known municipality (REFNIS)",
        "feed.csv:5: column schoolnummer: 7777 is not a known school",
        "feed.csv:6: column code: this code is already on line 3",
        "feed.csv:7: column code: this code is already on line 2",
    ]
    assert told == ([2, 4, 6, 7] if step_rows == 2 else [7])
    assert not Voucher.objects.exists()
