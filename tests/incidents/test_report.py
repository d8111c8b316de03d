"""The `incidents` report on a hand-made set: counts per kind, month and level of incidents
recorded by the report date; public figures under disclosure control (reports.md)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connections

from ictmonitor.cli import main
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report
from ictmonitor.reports.releases import publish_release

pytestmark = pytest.mark.django_db

AT = date(2026, 4, 1)


@pytest.fixture
def incidents(schools, record):
    """18 incidents recorded by AT (14 phishing, 3 cyberbullying, 1 sextortion), one after."""
    for day in range(1, 13):
        record(schools.basis, recorded_on=date(2026, 1, 20), occurred_on=date(2026, 1, day))
    for _ in range(3):
        record(schools.secundair, recorded_on=date(2026, 2, 10), kind="cyberbullying",
               occurred_on=date(2026, 2, 3), told=["parents"])
    record(schools.secundair, recorded_on=date(2026, 2, 12), kind="sextortion",
           occurred_on=date(2026, 2, 11), severity="high", told=["police", "1712"])
    for _ in range(2):
        record(schools.elsewhere, recorded_on=date(2026, 3, 31), occurred_on=date(2026, 3, 30))
    # Happened before AT but recorded after it: a release on AT never counts it.
    record(schools.elsewhere, recorded_on=date(2026, 4, 2), kind="ransomware",
           occurred_on=date(2026, 3, 28))


def figures(*by, **options):
    result = run_report(get_report("incidents"), Parameters(by=by, at=options.pop("at", AT),
                                                            language="en", **options))
    rows = {tuple(row[d] for d in by): row["incidents"] for row in result.rows}
    return rows, result


def test_counts_per_kind_month_and_level(incidents):
    rows, result = figures("kind")
    assert rows == {("cyberbullying",): 3, ("phishing",): 14, ("sextortion",): 1}
    assert result.totals == {"incidents": 18}
    assert result.labels["kind"]["sextortion"] == "sextortion"
    assert result.labels["kind"]["phishing"] == "phishing"
    rows, _ = figures("kind", "month")
    assert rows == {("cyberbullying", "2026-02"): 3, ("phishing", "2026-01"): 12,
                    ("phishing", "2026-03"): 2, ("sextortion", "2026-02"): 1}
    rows, _ = figures("kind", "level")
    assert rows == {("cyberbullying", "secundair"): 3, ("phishing", "basis"): 14,
                    ("sextortion", "secundair"): 1}
    rows, _ = figures("province", "year")
    assert rows == {("antwerpen", "2026"): 16, ("limburg", "2026"): 2}
    rows, result = figures("kind", at=date(2026, 4, 2))
    assert rows[("ransomware",)] == 1 and result.totals == {"incidents": 19}
    rows, result = figures("kind", at=date(2026, 1, 31))
    assert rows == {("phishing",): 12}


def test_dutch_labels(incidents):
    result = run_report(get_report("incidents"), Parameters(by=("kind",), at=AT, language="nl"))
    assert result.labels["kind"]["cyberbullying"] == "cyberpesten"


def test_public_figures_hide_small_counts_and_what_would_give_them_away(incidents):
    rows, result = figures("kind", public=True)
    # 3 and 1 are small, and together still under 10: both hidden, and so is the total, which
    # would give away their sum beside the 14 phishing incidents (12 + 2, published).
    assert rows == {("cyberbullying",): None, ("phishing",): 14, ("sextortion",): None}
    assert [row.get("incidents_flag") for row in result.rows] == ["c", None, "c"]
    assert result.totals == {"incidents": None, "incidents_flag": "c"}
    assert "incidents from 1 to 9" in result.rule
    # By month the 2 phishing incidents of March are alone: hidden, and with them January's 12.
    rows, _ = figures("kind", "month", public=True)
    assert all(value is None for value in rows.values())
    rows, _ = figures("kind", "month")
    assert rows[("phishing", "2026-01")] == 12


def test_a_cell_of_ten_or_more_alone_is_published(schools, record):
    for day in range(1, 13):
        record(schools.basis, recorded_on=date(2026, 1, 20), occurred_on=date(2026, 1, day))
    publish_release(date(2026, 2, 1), by="tests")
    rows, result = figures("kind", "month", public=True, at=date(2026, 2, 1))
    assert rows == {("phishing", "2026-01"): 12} and result.totals["incidents"] == 12


def test_the_command_line(incidents, capsys, monkeypatch):
    # A command run from the shell closes its connections at the end; here that would close
    # the test's own transaction (PostgreSQL).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    main(["report", "incidents", "--by", "kind", "--at", AT.isoformat(), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert out["measures"] == ["incidents"] and out["dimensions"] == ["kind"]
    assert out["rows"] == [{"kind": "cyberbullying", "incidents": 3},
                           {"kind": "phishing", "incidents": 14},
                           {"kind": "sextortion", "incidents": 1}]
    assert out["totals"] == {"incidents": 18}


def test_the_kind_column_is_named_in_dutch():
    from ictmonitor.reports.formatting import dimension_name

    assert dimension_name("kind", "nl") == "soort"
    assert dimension_name("kind", "en") == "kind"
