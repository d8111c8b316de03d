"""Judgements, reports, pages and alerts of measured lines on a hand-made set where every answer
is known (contracts/measurements.md): a 100/20 line at a primary school, March 2026 judged,
April 2026 with too few tests."""

from __future__ import annotations

import random
import statistics
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from ictmonitor.connectivity import standards
from ictmonitor.demo.measurements import load_measurements
from ictmonitor.measurements import alerts, ingest, quality_views, schoolhours, tokens
from ictmonitor.measurements.models import Alert, DailyRollup, Measurement
from ictmonitor.measurements.selectors import raised_alerts, visible_alerts
from ictmonitor.registry.models import Enrolment
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report
from tests.measurements.conftest import stamp

pytestmark = pytest.mark.django_db

# Ten speed tests in school hours (70, 72, …, 88: median 79, below 80 % of 100), one in the
# evening (not counted), pings (3 of 4 reachable in school hours, 1 of 2 at night) and two
# failovers of 30 and 90 minutes.
MARCH = (
    [{"measured_at": f"2026-03-{2 + i // 5:02d}T{9 + i % 5:02d}:00:00+01:00", "kind": "speed",
      "path": "primary", "download_mbps": 70 + 2 * i, "upload_mbps": 20} for i in range(10)]
    + [{"measured_at": "2026-03-02T20:00:00+01:00", "kind": "speed", "path": "primary",
        "download_mbps": 10, "upload_mbps": 1}]
    + [{"measured_at": f"2026-03-05T{h:02d}:15:00+01:00", "kind": "ping", "path": "primary",
        "reachable": int(up)} for h, up in ((9, 1), (10, 1), (11, 0), (12, 1), (2, 0), (3, 1))]
    + [{"measured_at": at, "kind": "failover", "path": path} for at, path in (
        ("2026-03-03T10:00:00+01:00", "backup"), ("2026-03-03T10:30:00+01:00", "primary"),
        ("2026-03-04T12:00:00+01:00", "backup"), ("2026-03-04T13:30:00+01:00", "primary"))]
)
APRIL = [{"measured_at": f"2026-04-{6 + i:02d}T10:00:00+02:00", "kind": "speed",
          "path": "primary", "download_mbps": 95 + i, "upload_mbps": 30} for i in range(5)]


@pytest.fixture
def measured(device: Any, line: Any) -> Any:
    token, _secret = device
    answer = ingest.ingest(token, MARCH + APRIL)
    assert answer.count("accepted") == len(MARCH) + len(APRIL), answer.results
    return line


def report(report_id: str, **parameters: Any) -> Any:
    return run_report(get_report(report_id), Parameters(**parameters))


def test_connectivity_quality_follows_the_contract_month_by_month(measured: Any) -> None:
    result = report("connectivity-quality", by=("month",), at=date(2026, 4, 15))
    march, april = result.rows
    assert march == {"month": "2026-03", "lines_measured": 1, "median_download_mbps": 79,
                     "meets_contract_share": 0.0, "meets_standard_share": 0.0,
                     "lines_too_few_tests": 0, "availability_school_hours": 0.75,
                     "hours_on_backup": 2.0}
    assert april["median_download_mbps"] == 97
    assert (april["meets_contract_share"], april["lines_too_few_tests"]) == (None, 1)
    assert april["availability_school_hours"] is None  # no ping: no availability, never 100 %
    assert result.totals["lines_measured"] is None  # judged per month: not added up
    assert result.totals["hours_on_backup"] == 2.0
    assert result.as_json()["standard"]["code"]


def test_connectivity_quality_without_month_is_the_month_of_at(measured: Any) -> None:
    result = report("connectivity-quality", by=("level",), at=date(2026, 3, 31))
    (row,) = result.rows
    assert (row["level"], row["lines_measured"], row["median_download_mbps"]) == ("basis", 1, 79)


def test_connectivity_quality_of_an_earlier_year_is_its_december(measured: Any) -> None:
    """--year without month: that year's last month (its December), not the month of --at."""
    token = measured.location.device_tokens.get()
    weekdays = [day for day in range(1, 20) if date(2025, 12, day).weekday() < 5][:11]
    december = [{"measured_at": f"2025-12-{day:02d}T10:00:00+01:00", "kind": "speed",
                 "path": "primary", "download_mbps": 50 + i, "upload_mbps": 20}
                for i, day in enumerate(weekdays)]  # 11 tests in school hours: median 55
    assert ingest.ingest(token, december).count("accepted") == 11
    (row,) = report("connectivity-quality", by=("level",), at=date(2026, 4, 15),
                    year=2025).rows
    assert (row["median_download_mbps"], row["meets_contract_share"]) == (55, 0.0)
    (row,) = report("connectivity-quality", by=("level",), at=date(2026, 4, 15)).rows
    assert row["median_download_mbps"] == 97  # April 2026, up to the 15th


def test_the_standard_per_pupil_counts_the_schools_pupils(device: Any, line: Any,
                                                        settings: Any) -> None:
    """150/40 Mbit/s meets the primary standard (100/30), not 1 Mbit/s for each of 200 pupils."""
    token, _secret = device
    weekdays = [day for day in range(1, 20) if date(2026, 3, day).weekday() < 5][:10]
    ingest.ingest(token, [{"measured_at": f"2026-03-{day:02d}T10:00:00+01:00", "kind": "speed",
                           "path": "primary", "download_mbps": 150, "upload_mbps": 40}
                          for day in weekdays])
    Enrolment.objects.create(location=line.location, school_year="2025-2026", level="lager",
                             pupils=200, **stamp())
    at = date(2026, 3, 31)
    (row,) = report("connectivity-quality", by=("level",), at=at).rows
    assert row["meets_standard_share"] == 1.0
    settings.CONNECTIVITY_STANDARD = "dfe-2022-per-pupil"
    (row,) = report("connectivity-quality", by=("level",), at=at).rows
    assert row["meets_standard_share"] == 0.0


def test_failovers_pair_each_switch_with_the_return(measured: Any) -> None:
    result = report("failovers", by=("provider",), at=date(2026, 12, 1))
    assert result.rows == [{"provider": "telenet", "lines_with_backup": 1, "failovers": 2,
                            "lines_never_failed_over": 0, "median_minutes_on_backup": 60.0}]


def test_line_status_follows_the_age_of_the_last_measurement(measured: Any) -> None:
    number = measured.location.institution.number
    for at, status in ((date(2026, 4, 15), "live"), (date(2026, 5, 1), "at-risk"),
                       (date(2026, 5, 20), "dropped"), (date(2026, 2, 1), "never")):
        (row,) = report("line-status", by=("school",), at=at).rows
        assert (row["school"], row["locations"], row["status"]) == (number, 1, status), at
    (row,) = report("line-status", by=("school",), at=date(2026, 4, 15)).rows
    assert row["last_measured_at"] == "2026-04-10T10:00:00+02:00"


def test_alerts_are_raised_once_and_resolved(measured: Any) -> None:
    first = alerts.refresh(date(2026, 4, 15))
    assert [(a.kind, a.month, a.line_id, a.provider_id) for a in first.raised] == [
        ("below-contract", "2026-03", measured.pk, "telenet")]
    assert alerts.refresh(date(2026, 4, 16)).raised == []  # still open: not raised again
    later = alerts.refresh(date(2026, 5, 20))
    assert [(a.kind, a.device) for a in later.raised] == [("device-dropped", "pi-1")]
    assert later.resolved == 1  # April was not judged: the March alert is over
    assert list(raised_alerts(later.raised[0].raised_at)) == later.raised


def test_alerts_are_shown_to_the_school_and_its_provider_only(measured: Any, client_for: Any,
                                                              user_factory: Any) -> None:
    alerts.refresh(date(2026, 4, 15))
    school = measured.location.institution
    coordinator = user_factory("coordinator", institutions=[school])
    assert visible_alerts(coordinator).count() == 1
    assert visible_alerts(user_factory("provider")).count() == 0
    page = client_for(coordinator).get("/measurements/alerts/")
    assert page.status_code == 200 and "T-77" in page.content.decode()


def test_the_command_raises_the_alerts(measured: Any) -> None:
    call_command("measurement_alerts", today="2026-04-15", stdout=StringIO())
    assert Alert.objects.filter(resolved_at__isnull=True).count() == 1


def test_the_school_page_shows_the_measured_quality(measured: Any, client_for: Any) -> None:
    school = measured.location.institution
    page = client_for("admin").get(f"/measurements/school/{school.number}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2026-03" in text and "pi-1" in text and "T-77" in text
    assert "<rect" not in text  # March and April are not in the last 31 days: no bars


def test_the_school_page_draws_the_last_days_against_the_contract(device: Any, line: Any,
                                                                    client_for: Any) -> None:
    token, _secret = device
    today = timezone.localdate()
    weekdays = (today - timedelta(days=n) for n in range(1, 10))
    days = [day for day in weekdays if day.weekday() < 5][:2]  # school days: days[1] first
    ingest.ingest(token, [{"measured_at": f"{day.isoformat()}T10:00:00+01:00", "kind": "speed",
                           "path": "primary", "download_mbps": speed, "upload_mbps": 20}
                          for day, speed in zip(days, (50, 100), strict=True)])
    page = client_for("admin").get(f"/measurements/school/{line.location.institution.number}/")
    (quality,) = page.context["lines"]
    chart = quality.chart
    assert [(bar[2], bar[3]) for bar in chart.bars] == [(80.0, False), (40.0, True)]
    assert page.content.decode().count("<rect") == 2


def test_the_provider_scorecard(measured: Any, client_for: Any) -> None:
    page = client_for("admin").get("/measurements/provider/?provider=telenet")
    assert page.status_code == 200


def test_the_scorecard_lists_the_first_quiet_locations_and_counts_the_rest(
        measured: Any, client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(quality_views, "QUIET_SHOWN", 0)
    page = client_for("admin").get("/measurements/provider/?provider=telenet")
    assert page.context["quiet"] == [] and page.context["quiet_more"] == 1
    assert "Nog 1 locatie staat niet in de lijst." in page.content.decode()


def test_the_board_sees_its_schools_side_by_side(measured: Any, client_for: Any,
                                                 user_factory: Any) -> None:
    school = measured.location.institution
    board = user_factory("board", boards=[school.board])
    page = client_for(board).get("/measurements/board/")
    assert page.status_code == 200
    rows = page.context["schools"]
    assert [row.institution.number for row in rows] == [school.number]
    assert rows[0].status["locations"] == 1
    other = client_for("admin").get("/measurements/board/?board=NONE")
    assert other.context["schools"] == []


def test_the_connectivity_page_links_to_the_measured_quality(measured: Any,
                                                              client_for: Any) -> None:
    school = measured.location.institution
    page = client_for("admin").get(f"/connectivity/school/{school.number}/")
    assert f'href="/measurements/school/{school.number}/"' in page.content.decode()


def test_the_standard_outcome_decides_as_the_judgement_does() -> None:
    found = standards.shipped()
    levels = dict(found.school_levels)
    for standard in found.standards:
        for level in ("basis", "secundair", "hoger", None):
            for pupils in (None, 0, 50, 400, 2000):
                for down in (10, 99.5, 100, 400, 1000, 2500):
                    for up in (None, 5, 30, 1000):
                        figures = {"registry_level": level, "pupils": pupils,
                                   "download_mbps": down, "upload_mbps": up}
                        assert standards.outcome(standard, levels, **figures) == standards.judge(
                            standard, levels, **figures).meets, (standard.code, figures)


def test_the_lines_and_board_pages_link_to_the_measured_quality(client_for: Any,
                                                                 user_factory: Any,
                                                                 measured: Any) -> None:
    lines = client_for("provider").get("/connectivity/lines/").content.decode()
    assert 'href="/measurements/provider/"' in lines and 'href="/measurements/alerts/"' in lines
    board = user_factory("board", boards=[measured.location.institution.board])
    page = client_for(board).get("/connectivity/board/").content.decode()
    assert 'href="/measurements/board/"' in page


def test_the_demo_measures_its_lines_once(locations: Any, line: Any) -> None:
    line.started_on = date(2020, 1, 1)
    line.save()
    first = load_measurements(seed=1)
    assert Measurement.objects.filter(line=line).exists(), first
    rollups = DailyRollup.objects.count()
    assert load_measurements(seed=1).startswith("Measurements: loaded already")
    assert DailyRollup.objects.count() == rollups
    (row,) = report("connectivity-quality", by=("level",), at=timezone.localdate()).rows
    assert row["lines_measured"] == 1


def test_a_provider_scores_its_own_lines_only(measured: Any, client_for: Any,
                                              user_factory: Any) -> None:
    own = client_for(user_factory("provider", provider=measured.provider)).get(
        "/measurements/provider/")
    assert own.status_code == 200 and own.context["chosen"] == "telenet"
    assert any(row["lines_measured"] for row in own.context["rows"])
    other = client_for("provider").get("/measurements/provider/?provider=telenet")
    assert other.context["chosen"] != "telenet"
    assert not any(row["lines_measured"] for row in other.context["rows"])


def _raw_figures(at: date) -> dict[str, dict[str, Any]]:
    """connectivity-quality by month computed again from the raw rows, the contract's way."""
    months: dict[str, dict[str, Any]] = {}
    for row in Measurement.objects.filter(line__isnull=False).order_by("measured_at"):
        local = row.measured_at.astimezone(schoolhours.zone())
        if local.date() > at or local.year != at.year:
            continue
        month = months.setdefault(local.strftime("%Y-%m"), {"lines": {}, "pings": 0, "up": 0})
        tests = month["lines"].setdefault(row.line_id, [])
        school = schoolhours.in_school_hours(row.measured_at)
        if row.kind == "speed" and school and row.path == "primary":
            tests.append(row.download_mbps)
        if row.kind == "ping" and school:
            month["pings"] += 1
            month["up"] += bool(row.reachable)
    out = {}
    for month, found in months.items():
        speeds = {line: statistics.median(t) for line, t in found["lines"].items() if t}
        judged = [line for line, t in found["lines"].items() if len(t) >= 10]
        out[month] = {
            "lines_measured": len(found["lines"]),
            "median_download_mbps": round(statistics.median(speeds.values()), 2),
            "meets_contract_share": (sum(speeds[line] >= 80 for line in judged) / len(judged)
                                     if judged else None),
            "lines_too_few_tests": len(found["lines"]) - len(judged),
            "availability_school_hours": found["up"] / found["pings"] if found["pings"] else None,
        }
    return out


def test_the_report_from_rollups_equals_the_raw_rows(device: Any, line: Any) -> None:
    """Random speeds, pings and times over two months: every figure the report gives from
    the rollups is the one the raw rows give (contract 100 Mbit/s: meets at 80)."""
    token, _secret = device
    rng = random.Random(16)
    start = datetime(2026, 2, 1, tzinfo=schoolhours.zone())
    items = []
    for n in range(400):
        moment = start + timedelta(minutes=rng.randrange(0, 58 * 24 * 60, 5))
        stamp_ = moment.isoformat()
        if n % 3:
            items.append({"measured_at": stamp_, "kind": "speed", "path": "primary",
                          "download_mbps": round(rng.uniform(40, 120), 2), "upload_mbps": 20})
        else:
            items.append({"measured_at": stamp_, "kind": "ping", "path": "primary",
                          "reachable": int(rng.random() > 0.2)})
    answer = ingest.ingest(token, items)
    assert answer.count("refused") == 0
    # at the end of March: both months whole (month rollups); mid-March: March in part (days)
    for at in (date(2026, 3, 31), date(2026, 3, 17)):
        rows = {row["month"]: row for row in report("connectivity-quality", by=("month",),
                                                     at=at).rows}
        raw = _raw_figures(at)
        assert set(rows) == set(raw) == {"2026-02", "2026-03"}
        for month, figures in raw.items():
            for measure, value in figures.items():
                assert rows[month][measure] == pytest.approx(value), (at, month, measure)


def test_a_provider_sees_the_devices_of_its_own_lines_locations_only(
        measured: Any, locations: Any, client_for: Any) -> None:
    tokens.issue(locations[1], "pi-2", "test")  # the second location: no line of Telenet
    number = measured.location.institution.number
    own = client_for("provider", provider=measured.provider).get(
        f"/measurements/school/{number}/").content.decode()
    assert "pi-1" in own and "pi-2" not in own
    every = client_for("admin").get(f"/measurements/school/{number}/").content.decode()
    assert "pi-1" in every and "pi-2" in every
    assert client_for("provider").get(f"/measurements/school/{number}/").status_code == 404
