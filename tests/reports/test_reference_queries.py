"""The benchmark's hand-written SQL (bench/report_queries.py) gives each report's figures.

Every query is run on the demo dataset beside its report with the typical breakdown: the same
rows (matched by their dimension codes) with the same value of each measure the query gives.
A query names its columns after the report's dimensions and measures; the flags of
school-modules are named `offers:CODE` and `modules:CODE`, one per code the report joins.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from bench.report_queries import QUERIES, parameters
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from ictmonitor.assessment.models import Assessment, Label
from ictmonitor.assessment.selectors import current_labels
from ictmonitor.connectivity.models import Subscription
from ictmonitor.reports.definitions import Parameters, Report
from ictmonitor.reports.engine import catalogue, run_report
from ictmonitor.vouchers.models import Voucher

WITHOUT_QUERY = {"tariff",  # computed from a YAML scenario, not from the database
                 # the measured lines' reports: their figures are checked on hand-made
                 # measurements against the contract's definitions instead
                 # (tests/measurements/test_quality.py, test_quality_sql.py), and
                 # connectivity-quality against hand-written SQL by bench/quality_report.py
                 "connectivity-quality", "line-status", "failovers"}
MEAN_DECIMALS = 1  # the reports round means to 0.1; the queries give them unrounded


def test_every_report_but_tariff_has_a_reference_query() -> None:
    assert set(QUERIES) == set(catalogue()) - WITHOUT_QUERY


@pytest.fixture
def demo(db: None, tmp_path: Path) -> None:
    """The demo at scale 0.05, large enough for schools in a second assessment cycle, with two
    valid labels revoked: one yesterday (no longer held), one tomorrow (still held today);
    neither counts as awarded."""
    call_command("demo", scale=0.05, no_serve=True, output=tmp_path, stdout=StringIO(),
                 stderr=StringIO())
    held = list(current_labels(timezone.localdate()).order_by("institution_id")[:2])
    assert len(held) == 2, "the demo has too few valid labels to revoke two"
    for label, days in zip(held, (-1, 1), strict=True):
        label.revoked_at = timezone.now() + timedelta(days=days)
        label.save(update_fields=["revoked_at"])
    assert Voucher.objects.exists() and Subscription.objects.exists()
    assert Label.objects.filter(revoked_at__isnull=True).exists()
    twice = (Assessment.objects.filter(status=Assessment.Status.SUBMITTED).values("institution")
             .annotate(n=Count("pk")).filter(n__gt=1))
    assert twice.exists(), "no school in the demo has a second submitted assessment"


def report_figures(report: Report, at: Any) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The report's rows with its typical breakdown, by their dimension codes."""
    by = tuple(report.typical_by)
    result = run_report(report, Parameters(by=by, at=at))
    return {tuple(row[d] for d in by): row for row in result.rows}


def query_figures(report: Report, at: Any) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The reference query's rows, by their dimension codes; flags folded into code sets."""
    with connection.cursor() as cursor:
        cursor.execute(QUERIES[report.id], parameters(at))
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    by = list(report.typical_by)
    assert names[:len(by)] == by, f"{report.id}: the first columns must be {by}, not {names}"
    measures = {m.code for m in report.measures}
    for name in names[len(by):]:
        assert name.split(":")[0] in measures, f"{report.id}: {name} is no measure of the report"
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        values: dict[str, Any] = {}
        for name, value in zip(names[len(by):], row[len(by):], strict=True):
            if ":" in name:
                measure, code = name.split(":", 1)
                values.setdefault(measure, set())
                if value:
                    values[measure].add(code)
            else:
                values[name] = value
        key = tuple(row[:len(by)])
        assert key not in out, f"{report.id}: the query gives {key} twice"
        out[key] = values
    return out


def disagreements(report_id: str, reported: dict[tuple[Any, ...], dict[str, Any]],
                  queried: dict[tuple[Any, ...], dict[str, Any]]) -> list[str]:
    """What differs between the report's rows and the query's, one line each."""
    found = [f"{report_id}: row {key} only in the report"
             for key in sorted(set(reported) - set(queried), key=str)]
    found += [f"{report_id}: row {key} only in the query"
              for key in sorted(set(queried) - set(reported), key=str)]
    for key in sorted(set(reported) & set(queried), key=str):
        for measure, expected in queried[key].items():
            got = reported[key][measure]
            if isinstance(expected, set):
                same = set(filter(None, (got or "").split("|"))) == expected
            elif isinstance(expected, float) or isinstance(got, float):
                same = (got is not None and expected is not None
                        and got == pytest.approx(float(expected),
                                                 abs=0.5 * 10 ** -MEAN_DECIMALS + 1e-9))
            else:
                same = got == expected
            if not same:
                found.append(f"{report_id} {key} {measure}: report {got!r}, query {expected!r}")
    return found


def test_each_reference_query_gives_its_reports_figures(demo: None) -> None:
    at = timezone.localdate()
    reports = catalogue()
    problems = []
    for report_id in QUERIES:
        report = reports[report_id]
        queried = query_figures(report, at)
        assert queried, f"{report_id}: the demo gives the query no rows"
        problems += disagreements(report_id, report_figures(report, at), queried)
    assert not problems, "\n".join(problems)
