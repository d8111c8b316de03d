"""Benchmark: `connectivity-quality --by province,month` over a year of national rollups, against
hand-written SQL computing the same figures from the same rollups (issue 16: under 1 s, and
within 2 × the SQL).

    ictmonitor demo --no-serve                   # the national demo, once per database
    .venv/bin/python bench/quality_report.py --database-url sqlite:///PATH/ictmonitor.sqlite3 \
        --database-url postgresql://app@127.0.0.1:PORT/ictmonitor [--runs 5] [--keep]

In each database (the national demo loaded before: its lines, schools, provinces, pupils and
raw measurements, failovers among them) the day and month rollups are replaced by a generated
year of them for every line, day by day while the line runs, as agents measuring every school
would make them: four speed tests a day, three of them in school hours on a weekday (none at
the weekend), a ping every 15 minutes in school hours, a failover now and then on a backup
line. The month rollups are built from the day rollups by the one function ingest and imports
call (`rollups.refresh_months`), timed. Then, at the last day generated (yesterday: every
month of its year up to it is read whole from the month rollups, and a spell still on backup
counts up to the end of that day, not to a `now` that moves between two runs), the best of
`--runs` after a warm-up, the two taking turns:

- `report`: the report through the engine (`run_report`, as the page, the API and the CLI run
  it), by province and month;
- `sql`: `QUALITY_SQL`, hand-written, every figure the report shows from the same rollups: a
  line-month judged against its contract (80 % of the contracted download from 10 school-hour
  tests) and against the standard in force (its figure per school level as a VALUES list made
  from the shipped standards file; the schools' pupils of the latest school year joined only
  when the standard has a rule per pupil), availability, and hours on backup (spells paired
  from the raw failover rows by window functions: a row to backup not preceded by one starts a
  spell, the next row back to primary ends it; the month is the spell's start's in Brussels),
  the median over lines by the database (PostgreSQL `percentile_cont`, SQLite row numbers).

Both run with the standard the settings choose, then again with a standard with a rule per
pupil (`PER_PUPIL_STANDARD`), so the pupils are read too. Each time the SQL's rows must be the
report's (every measure; a median and the hours rounded to two decimals as the report rounds
them): the run stops with the rows that differ otherwise. Writes bench/out/quality_report.json.
A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 1.0
GOAL_RATIO = 2.0
DAYS = 365
SPEED_HOURS = 4  # speed tests a day; three of them in school hours on a weekday
PINGS_SCHOOL_DAY = 36  # every 15 minutes from 08:00 to 17:00
PER_PUPIL_STANDARD = "dfe-2022-per-pupil"
MEASURES = ("lines_measured", "median_download_mbps", "meets_contract_share",
            "meets_standard_share", "lines_too_few_tests", "availability_school_hours",
            "hours_on_backup")
ROUNDED = {"median_download_mbps", "hours_on_backup"}  # the report rounds these to 0.01


# --- the hand-written query -------------------------------------------------------------------

# `{standard_levels}`: the standard's figure per school level, `{pupils}`, `{pupil_misses}`,
# `{pupil_unknown}` and `{pupils_join}` its rule per pupil (empty when it has none): filled in
# from the standards file by `quality_sql`. Parameters: `start` and `this_month` (the first
# days of the year's first and last month), `from` and `until` (the moments the failover rows
# are read between: the year's first in Brussels and the end of the report date).

# The line-months and the failover switches, the same text in both dialects.
LINE_MONTHS_AND_SWITCHES = """
WITH standard_levels(level, download, upload) AS (VALUES {standard_levels}){pupils},
line_months AS (
    SELECT l.province_id AS province, m.month, m.line_id, l.institution_id, i.level,
           m.speed_tests_school_hours AS tests, m.measured_download AS download,
           m.measured_upload AS upload, m.pings_school_hours AS pings,
           m.pings_reachable_school_hours AS reachable, s.download_mbps AS contracted
    FROM measurements_monthlyrollup m
    JOIN connectivity_subscription s ON s.id = m.line_id
    JOIN registry_location l ON l.id = s.location_id
    JOIN registry_institution i ON i.id = l.institution_id
    WHERE m.line_id IS NOT NULL AND m.month >= %(start)s AND m.month <= %(this_month)s
), switches AS (
    SELECT line_id, measured_at, path, lag(path) OVER w AS previous,
           min(measured_at) FILTER (WHERE path = 'primary')
               OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS back
    FROM measurements_measurement
    WHERE kind = 'failover' AND line_id IS NOT NULL
      AND measured_at >= %(from)s AND measured_at < %(until)s
    WINDOW w AS (PARTITION BY line_id, location_id, device ORDER BY measured_at)
"""
QUALITY_SQL = {
    "postgresql": LINE_MONTHS_AND_SWITCHES + """), backup AS (
    SELECT line_id, date_trunc('month', measured_at AT TIME ZONE 'Europe/Brussels')::date AS month,
           sum(extract(epoch FROM coalesce(back, greatest(%(until)s, measured_at))
                                  - measured_at)) / 60 AS minutes
    FROM switches WHERE path = 'backup' AND previous IS DISTINCT FROM 'backup'
    GROUP BY 1, 2
), judged AS (
    SELECT lm.province, lm.month, lm.download, lm.tests >= 10 AS judged,
           CASE WHEN lm.tests >= 10 AND lm.contracted > 0
                THEN lm.download >= 0.8::float8 * lm.contracted END AS meets_contract,
           CASE WHEN lm.tests >= 10 THEN CASE
                WHEN lm.download < f.download OR lm.upload < f.upload{pupil_misses} THEN false
                WHEN f.level IS NULL OR lm.upload IS NULL{pupil_unknown} THEN NULL
                ELSE true END END AS meets_standard,
           lm.pings, lm.reachable, coalesce(b.minutes, 0) AS minutes
    FROM line_months lm
    LEFT JOIN standard_levels f ON f.level = lm.level
    LEFT JOIN backup b ON b.line_id = lm.line_id AND b.month = lm.month{pupils_join}
)
SELECT province, to_char(month, 'YYYY-MM') AS month, count(*) AS lines_measured,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY download) AS median_download_mbps,
       count(*) FILTER (WHERE meets_contract)::float8 / nullif(count(meets_contract), 0)
         AS meets_contract_share,
       count(*) FILTER (WHERE meets_standard)::float8 / nullif(count(meets_standard), 0)
         AS meets_standard_share,
       count(*) FILTER (WHERE NOT judged) AS lines_too_few_tests,
       sum(reachable)::float8 / nullif(sum(pings), 0) AS availability_school_hours,
       sum(minutes) / 60 AS hours_on_backup
FROM judged
GROUP BY province, month
ORDER BY 1, 2
""",
    "sqlite": LINE_MONTHS_AND_SWITCHES + """), spells AS (
    -- SQLite knows no time zones: Brussels is UTC+2 from the last Sunday of March 01:00 UTC
    -- to the last Sunday of October 01:00 UTC, UTC+1 otherwise
    SELECT line_id, measured_at AS started, coalesce(back, max(%(until)s, measured_at)) AS ended,
           datetime(measured_at, CASE
               WHEN measured_at >= date(substr(measured_at, 1, 4) || '-03-31', '-6 days',
                                        'weekday 0') || ' 01:00:00'
                AND measured_at < date(substr(measured_at, 1, 4) || '-10-31', '-6 days',
                                       'weekday 0') || ' 01:00:00'
               THEN '+2 hours' ELSE '+1 hours' END) AS local
    FROM switches WHERE path = 'backup' AND previous IS NOT 'backup'
), backup AS (
    SELECT line_id, substr(local, 1, 7) || '-01' AS month,
           sum((julianday(ended) - julianday(started)) * 1440) AS minutes
    FROM spells GROUP BY 1, 2
), judged AS (
    SELECT lm.province, substr(lm.month, 1, 7) AS month, lm.download, lm.tests >= 10 AS judged,
           CASE WHEN lm.tests >= 10 AND lm.contracted > 0
                THEN lm.download >= 0.8 * lm.contracted END AS meets_contract,
           CASE WHEN lm.tests >= 10 THEN CASE
                WHEN lm.download < f.download OR lm.upload < f.upload{pupil_misses} THEN 0
                WHEN f.level IS NULL OR lm.upload IS NULL{pupil_unknown} THEN NULL
                ELSE 1 END END AS meets_standard,
           lm.pings, lm.reachable, coalesce(b.minutes, 0) AS minutes
    FROM line_months lm
    LEFT JOIN standard_levels f ON f.level = lm.level
    LEFT JOIN backup b ON b.line_id = lm.line_id AND b.month = lm.month{pupils_join}
), over_lines AS (
    SELECT province, month, download,
           row_number() OVER (PARTITION BY province, month ORDER BY download) AS n,
           count(*) OVER (PARTITION BY province, month) AS k
    FROM judged WHERE download IS NOT NULL
), medians AS (
    SELECT province, month, avg(download) AS download FROM over_lines
    WHERE n IN ((k + 1) / 2, (k + 2) / 2) GROUP BY province, month
)
SELECT j.province, j.month, count(*) AS lines_measured, md.download AS median_download_mbps,
       CAST(count(*) FILTER (WHERE j.meets_contract) AS REAL) / nullif(count(j.meets_contract), 0)
         AS meets_contract_share,
       CAST(count(*) FILTER (WHERE j.meets_standard) AS REAL) / nullif(count(j.meets_standard), 0)
         AS meets_standard_share,
       count(*) FILTER (WHERE NOT j.judged) AS lines_too_few_tests,
       CAST(sum(j.reachable) AS REAL) / nullif(sum(j.pings), 0) AS availability_school_hours,
       sum(j.minutes) / 60 AS hours_on_backup
FROM judged j LEFT JOIN medians md ON md.province IS j.province AND md.month = j.month
GROUP BY j.province, j.month
ORDER BY 1, 2
""",
}
PUPILS = """, pupils AS (
    SELECT l.institution_id, sum(e.pupils) AS pupils
    FROM registry_enrolment e JOIN registry_location l ON l.id = e.location_id
    WHERE e.school_year = (SELECT max(school_year) FROM registry_enrolment)
    GROUP BY l.institution_id
)"""


def quality_sql(vendor: str, code: str) -> str:
    """QUALITY_SQL for the standard `code` of the shipped standards file: its figure per
    school level written in as a VALUES list, its rule per pupil (if any) as a join to the
    schools' pupils and a check of each speed per pupil."""
    from ictmonitor.connectivity import standards

    found = standards.shipped()
    standard = found.get(code)
    real = "::float8" if vendor == "postgresql" else ""
    levels = [(level, standard.for_level(mapped)) for level, mapped in
              sorted(found.school_levels.items()) if standard.for_level(mapped) is not None]
    parts = {"standard_levels": ", ".join(
        f"('{level}', {figure.download_mbps!r}{real}, {figure.upload_mbps!r}{real})"
        for level, figure in levels) or f"(NULL, NULL{real}, NULL{real})",
        "pupils": "", "pupil_misses": "", "pupil_unknown": "", "pupils_join": ""}
    rule = standard.per_pupil
    if rule is not None:
        misses = f" OR lm.download / nullif(p.pupils, 0) < {rule.download_mbps!r}{real}"
        if rule.upload_mbps is not None:
            misses += f" OR lm.upload / nullif(p.pupils, 0) < {rule.upload_mbps!r}{real}"
        parts.update(pupils=PUPILS, pupil_misses=misses,
                     pupil_unknown=" OR coalesce(p.pupils, 0) = 0",
                     pupils_join="\n    LEFT JOIN pupils p ON p.institution_id = lm.institution_id")
    return QUALITY_SQL[vendor].format(**parts)


# --- the child: one database ------------------------------------------------------------------

def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
    import django

    django.setup()


def generate(today: date, days: int = DAYS, seed: int = 16) -> dict[str, Any]:
    """Replace the rollups by a generated year of every line's; the month rollups built."""
    from django.db import transaction

    from ictmonitor.connectivity.models import Module, Subscription
    from ictmonitor.measurements import schoolhours
    from ictmonitor.measurements.models import DailyRollup, MonthlyRollup

    rng = random.Random(seed)
    bit = Module.objects.filter(code="backup-line").values_list("bit", flat=True).first() or 0
    first = today - timedelta(days=days)
    lines = list(Subscription.objects.order_by("pk").values_list(
        "pk", "location_id", "download_mbps", "upload_mbps", "modules", "started_on",
        "ended_on"))
    zone = schoolhours.zone()
    start = time.perf_counter()
    with transaction.atomic():
        DailyRollup.objects.all().delete()
        MonthlyRollup.objects.all().delete()
        batch: list[DailyRollup] = []
        count = 0
        for line_id, location_id, down, up, modules, started, ended in lines:
            level = 0.6 if rng.random() < 0.1 else rng.uniform(0.85, 1.05)
            backup = bool(modules & bit)
            for n in range(days):
                day = first + timedelta(days=n)
                if (started and day < started) or (ended and day > ended):
                    continue
                weekday = day.weekday() < 5
                school = SPEED_HOURS - 1 if weekday else 0
                downs = sorted(round(max((down or 100) * level * rng.gauss(1, 0.08), 0.5), 1)
                               for _ in range(school))
                ups = sorted(round(max((up or 20) * level * rng.gauss(1, 0.08), 0.2), 1)
                             for _ in range(school))
                pings = PINGS_SCHOOL_DAY if weekday else 0
                reachable = pings - (1 if pings and rng.random() < 0.2 else 0)
                failover = int(backup and rng.random() < 0.01)
                batch.append(DailyRollup(
                    location_id=location_id, line_id=line_id, day=day, speed_tests=SPEED_HOURS,
                    speed_tests_school_hours=school, download_school_hours=downs,
                    upload_school_hours=ups, pings=pings, pings_reachable=reachable,
                    pings_school_hours=pings, pings_reachable_school_hours=reachable,
                    failovers=failover, returns=failover,
                    first_measured_at=schoolhours.day_bounds(day)[0].astimezone(zone),
                    last_measured_at=schoolhours.day_bounds(day)[1] - timedelta(hours=2)))
                if len(batch) >= 5000:
                    DailyRollup.objects.bulk_create(batch)
                    count += len(batch)
                    batch = []
        DailyRollup.objects.bulk_create(batch)
        count += len(batch)
    return {"lines": len(lines), "day_rollups": count,
            "generate_seconds": round(time.perf_counter() - start, 1)}


def build_months() -> dict[str, Any]:
    """The month rollups of every day rollup, as ingest and imports keep them, timed."""
    from django.db import connection, transaction
    from django.db.models.functions import TruncMonth

    from ictmonitor.measurements import rollups
    from ictmonitor.measurements.models import DailyRollup

    start = time.perf_counter()
    with transaction.atomic():
        months = rollups.refresh_months(
            DailyRollup.objects.order_by().annotate(month=TruncMonth("day"))
            .values_list("location_id", "month").distinct())
    built = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"month_rollups": months, "month_rollups_seconds": round(built, 2)}


def best(works: dict[str, Any], runs: int) -> dict[str, float]:
    """The fastest of `runs` runs of each work after one warm-up, in seconds: the works take
    turns, so a change in the machine's load falls on each alike."""
    times: dict[str, list[float]] = {name: [] for name in works}
    for work in works.values():
        work()
    for _ in range(runs):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
    return {name: round(min(found), 4) for name, found in times.items()}


def child(runs: int, keep: bool) -> dict[str, Any]:
    """Generate (unless kept from an earlier run) and time, in this database."""
    _setup()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from ictmonitor.measurements import schoolhours
    from ictmonitor.measurements.models import DailyRollup, Kind, Measurement, MonthlyRollup
    from ictmonitor.reports.definitions import Parameters
    from ictmonitor.reports.engine import get_report, run_report

    today = timezone.localdate()
    out: dict[str, Any] = {"vendor": connection.vendor, "today": today.isoformat()}
    if not (keep and DailyRollup.objects.filter(day__lt=today - timedelta(days=300)).exists()):
        out["generated"] = generate(today)
    if not (keep and MonthlyRollup.objects.exists()):
        out["months"] = build_months()
    at = DailyRollup.objects.order_by("-day").values_list("day", flat=True).first()
    assert at is not None and at < today, "no generated rollups"
    start = date(at.year, 1, 1)
    # every month of the year up to `at` is read whole from its month rollups (no day rollup
    # lies after `at` in its month), as the query reads them
    assert not DailyRollup.objects.filter(day__gt=at).exists()
    adapt = connection.ops.adapt_datetimefield_value
    values = {"start": start, "this_month": at.replace(day=1),
              "from": adapt(schoolhours.day_bounds(start)[0]),
              "until": adapt(schoolhours.day_bounds(at)[1])}
    out["at"] = at.isoformat()
    out["failover_rows"] = Measurement.objects.filter(
        kind=Kind.FAILOVER, measured_at__gte=schoolhours.day_bounds(start)[0]).count()
    report = get_report("connectivity-quality")
    parameters = Parameters(by=("province", "month"), at=at)
    standards = [settings.CONNECTIVITY_STANDARD]
    if PER_PUPIL_STANDARD not in standards:
        standards.append(PER_PUPIL_STANDARD)
    for code in standards:
        settings.CONNECTIVITY_STANDARD = code
        sql = quality_sql(connection.vendor, code)

        def query(sql: str = sql) -> list[tuple[Any, ...]]:
            with connection.cursor() as cursor:
                cursor.execute(sql, values)
                return cursor.fetchall()

        rows = run_report(report, parameters).rows
        differences = _differences(rows, query())
        if differences:
            raise SystemExit(f"{connection.vendor}, standard {code}: the SQL's figures are not "
                             "the report's:\n" + "\n".join(differences[:20]))
        found: dict[str, Any] = {"report_rows": len(rows), "same_figures": True, **best(
            {"report": lambda: run_report(report, parameters), "sql": query}, runs)}
        found["ratio"] = round(found["report"] / found["sql"], 2)
        found["goal_met"] = found["report"] < GOAL_SECONDS and found["ratio"] <= GOAL_RATIO
        found["load"] = os.getloadavg()
        out[code] = found
        print(f"{connection.vendor} {code}: report {found['report']} s, SQL {found['sql']} s",
              file=sys.stderr, flush=True)
    out["standard"] = standards[0]
    return out


def _differences(rows: list[dict[str, Any]], sql: list[tuple[Any, ...]]) -> list[str]:
    """Each figure where the SQL's rows are not the report's: the same groups, the same value
    of every measure (a median and hours rounded to 0.01, as the report gives them)."""
    report = {(r["province"], r["month"]): r for r in rows}
    queried = {(province, month): dict(zip(MEASURES, figures, strict=True))
               for province, month, *figures in sql}
    found = [f"{key}: only in the report" for key in report.keys() - queried.keys()]
    found += [f"{key}: only in the SQL" for key in queried.keys() - report.keys()]
    for key in sorted(report.keys() & queried.keys(), key=str):
        for name in MEASURES:
            mine, theirs = report[key][name], queried[key][name]
            if theirs is not None and not isinstance(theirs, int):
                theirs = float(theirs)  # a Decimal of PostgreSQL's
                if name in ROUNDED:
                    theirs = round(theirs, 2)
            if mine != theirs:
                found.append(f"{key} {name}: report {mine!r}, SQL {theirs!r}")
    return found


# --- the parent -------------------------------------------------------------------------------

def main() -> None:
    """Measure each database given, print, write bench/out/quality_report.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", action="append", default=[],
                        help="a database holding the national demo (repeat for each)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true",
                        help="keep the rollups an earlier run generated")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.runs, args.keep)))
        return
    if not args.database_url:
        parser.error("give --database-url of a database holding the national demo")
    report: dict[str, Any] = {"goal_seconds": GOAL_SECONDS, "goal_ratio": GOAL_RATIO,
                              "load": os.getloadavg()}
    for url in args.database_url:
        env = {**os.environ, "ICTMONITOR_DATABASE_URL": url}
        command = [sys.executable, __file__, "--child", "--runs", str(args.runs)]
        answer = subprocess.run(command + (["--keep"] if args.keep else []), env=env,
                                check=True, stdout=subprocess.PIPE, text=True)
        found = json.loads(answer.stdout.strip().splitlines()[-1])
        report[found["vendor"]] = found
        for code in dict.fromkeys((found["standard"], PER_PUPIL_STANDARD)):
            figures = found[code]
            load = ", ".join(f"{n:.1f}" for n in figures["load"])
            print(f"{found['vendor']} ({code}): report {figures['report']:.3f} s, SQL over the "
                  f"same rollups, the same figures {figures['sql']:.3f} s (ratio "
                  f"{figures['ratio']}); goal met: {figures['goal_met']}; load {load}",
                  flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "quality_report.json").write_text(json.dumps(report, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
