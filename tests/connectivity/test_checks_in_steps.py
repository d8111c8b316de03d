"""A feed's set-based checks run in steps over the stage's lines, each told as it ends (issue 13:
the job's progress moves during the checks too, not a silence of seconds over the whole stage),
and find what they found at once: a key repeated in another step or the same one, an unknown
school or location, an empty location made the school's main one."""

from __future__ import annotations

import pytest

from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.connectivity.models import Subscription
from ictmonitor.core.problems import ImportRefused
from tests.connectivity.test_pages import feed_bytes
from tests.connectivity.test_pages import schools as schools  # a fixture

pytestmark = pytest.mark.django_db

LINES = [
    "telenet;T-1;1001;;managed;300;30;firewall;2020-01-10;2020-02-01;",  # line 2
    "telenet;T-2;1001;2;managed;500;500;firewall;2023-09-01;2023-10-01;",
    "telenet;T-3;1002;;internet-only;100;20;;;2016-01-01;",
    "telenet;T-4;9999;;internet-only;100;20;;;2016-01-01;",  # line 5: no such school
    "telenet;T-5;1001;7;internet-only;100;20;;;2016-01-01;",  # no such location
    "telenet;T-6;1002;;internet-only;100;20;;;2016-01-01;",
    "telenet;T-6;1002;;internet-only;100;20;;;2016-01-01;",  # line 8: line 7's key again
    "telenet;T-7;2001;;internet-only;100;20;;;2016-01-01;",
    "telenet;T-1;1002;;internet-only;100;20;;;2016-01-01;",  # line 10: line 2's key again
]
PROBLEMS = [
    "feed.csv:5: column schoolnummer: 9999 is not a known school",
    "feed.csv:6: column intern_vplnummer: school 1001 has no location 7",
    "feed.csv:8: column contract_id: this line is already on line 7",
    "feed.csv:10: column contract_id: this line is already on line 2",
]


def _checked(told: list[int]):  # noqa: ANN202
    def progress(rows, done, size, problems=0, phase="reading", written=0, checked=0):
        if phase == "checking" and checked:
            told.append(checked)
    return progress


@pytest.mark.parametrize("step_rows", [10_000, 2], ids=["one step", "steps of 2 lines"])
def test_the_checks_find_the_same_problems_in_steps_told_as_they_end(
        schools, tmp_path, settings, step_rows):
    settings.IMPORT_MERGE_SLICE_ROWS = step_rows
    path = tmp_path / "feed.csv"
    path.write_bytes(feed_bytes(*LINES))
    told: list[int] = []
    with pytest.raises(ImportRefused) as refused:
        import_subscriptions(path, actor="test", progress=_checked(told))
    assert refused.value.problems.lines() == PROBLEMS
    if step_rows == 2:  # 9 rows: five steps, the rows checked told after each
        assert told == [2, 4, 6, 8, 9]
    else:
        assert told == [9]


def test_an_empty_location_is_the_main_one_in_every_step(schools, tmp_path, settings):
    settings.IMPORT_MERGE_SLICE_ROWS = 1
    path = tmp_path / "feed.csv"
    path.write_bytes(feed_bytes(*LINES[:3], LINES[5], LINES[7]))
    told: list[int] = []
    import_subscriptions(path, actor="test", progress=_checked(told))
    assert told == [1, 2, 3, 4, 5]
    located = dict(Subscription.objects.values_list("contract_id", "location__number"))
    assert located == {"T-1": "1", "T-2": "2", "T-3": "1", "T-6": "1", "T-7": "1"}
