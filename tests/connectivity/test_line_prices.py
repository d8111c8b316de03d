"""A line is priced under the catalogue version of the day it was requested when a feed first
brings it (in the insert itself), and keeps that version when a later feed changes it; a line
a feed changes that never had a version gets one. The same merged at once or in slices."""

from __future__ import annotations

import pytest

from ictmonitor.connectivity import importers, services
from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.connectivity.models import Subscription
from ictmonitor.core.models import AuditEntry
from tests.connectivity.test_pages import feed_bytes
from tests.connectivity.test_pages import schools as schools  # a fixture

pytestmark = pytest.mark.django_db

CABLE, FIBRE = "schoolnet-cable", "flemish-fibre-2023"


def _versions() -> dict[str, str | None]:
    return dict(Subscription.objects.values_list("contract_id", "catalogue_version_id"))


def _told(*args: object, **kwargs: object) -> None:
    """A progress callback: with one, a large file merges in slices (SQLite) or steps."""


@pytest.mark.parametrize("slice_rows", [10_000, 1], ids=["at once", "in slices"])
def test_a_line_keeps_the_version_it_was_first_priced_under(schools, tmp_path, settings,
                                                          slice_rows, monkeypatch):
    settings.IMPORT_MERGE_SLICE_ROWS = slice_rows
    priced_after: list[int] = []  # lines an update priced after their insert, per merge

    def date_prices(run, staged):
        priced_after.append(services.date_prices(run, staged))
        return priced_after[-1]

    monkeypatch.setattr(importers, "date_prices", date_prices)
    path = tmp_path / "feed.csv"
    path.write_bytes(feed_bytes(
        "telenet;T-1;1001;1;managed;300;30;firewall;2020-01-10;2020-02-01;",
        "telenet;T-2;1001;1;managed;500;500;firewall;2023-09-01;2023-10-01;",
        "telenet;T-3;1002;;managed;100;20;;;2016-01-01;"))
    import_subscriptions(path, actor="test", progress=_told)
    assert _versions() == {"T-1": CABLE, "T-2": FIBRE, "T-3": CABLE}
    # Priced in the insert: no update of each new line after it (which, merged in slices, went
    # over every line of the run again in each slice), and nothing audited but the rows created.
    assert priced_after and not any(priced_after)
    lines = AuditEntry.objects.filter(table="connectivity.subscription")
    assert list(lines.values_list("action", "changes")) == [("create", {"rows": 3})]

    # T-1 is requested again on a day of the fibre catalogue: it keeps the version it has.
    # T-3 lost its version (a line from before versions): the feed that changes it prices it.
    Subscription.objects.filter(contract_id="T-3").update(catalogue_version=None)
    path.write_bytes(feed_bytes(
        "telenet;T-1;1001;1;managed;400;40;firewall;2023-09-01;2023-10-01;",
        "telenet;T-2;1001;1;managed;500;500;firewall;2023-09-01;2023-10-01;",
        "telenet;T-3;1002;;managed;100;20;;2024-01-01;2024-02-01;"))
    priced_after.clear()
    run = import_subscriptions(path, actor="test", progress=_told)
    assert (run.created, run.updated, run.unchanged) == (0, 2, 1)
    assert sum(priced_after) == 1
    assert _versions() == {"T-1": CABLE, "T-2": FIBRE, "T-3": FIBRE}
