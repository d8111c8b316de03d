"""Benchmark: `connectivity-quality --by province,month` over a year of national rollups, against
hand-written SQL over the same rollups (issue 16: under 1 s, and within 2 × the SQL).

    ictmonitor demo --no-serve                   # the national demo, once per database
    .venv/bin/python bench/quality_report.py --database-url sqlite:///PATH/ictmonitor.sqlite3 \
        --database-url postgresql://app@127.0.0.1:PORT/ictmonitor [--runs 5]

In each database (the national demo loaded before: its lines, schools and provinces) the day
and month rollups are replaced by a generated year of them for every line, day by day while the
line runs, as agents measuring every school would make them: four speed tests a day, three of
them in school hours on a weekday (none at the weekend), a ping every 15 minutes in school hours,
a failover now and then on a backup line. The month rollups are built from the day rollups by
the one function ingest and imports call (`rollups.refresh_months`), timed. Then, the best of
`--runs` after a warm-up:

- `report`: the report through the engine (`run_report`, as the page, the API and the CLI run
  it), at today, by province and month: the year's months up to today;
- `sql_months`: a hand-written query computing the same figures from the same rollups the
  report reads (the month rollups: today no day rollup lies after today, so this month's is
  read whole too), the line-months judged in SQL and the median over lines taken by the
  database (PostgreSQL `percentile_cont`, SQLite by row numbers);
- `sql_days`: the same figures from the day rollups alone (every speed list unpacked), what
  the report read before the month rollups.

The standard (a rule per level and size from a shipped file) and hours on backup (spells from
the raw failover rows) are left out of the SQL: the report computes more than the SQL does.
Writes bench/out/quality_report.json. A benchmark, not a test.
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


# --- the hand-written queries -----------------------------------------------------------------

# On SQLite, from the line-months (`judged`: province, month, tests, speed, pings, reachable,
# contracted), both queries below: the median over lines by row numbers, the shares and
# the availability per province and month.
SQLITE_OVER_LINES = """
), over_lines AS (
    SELECT province, month, speed,
           row_number() OVER (PARTITION BY province, month ORDER BY speed) AS n,
           count(speed) OVER (PARTITION BY province, month) AS k
    FROM judged WHERE speed IS NOT NULL
), medians AS (
    SELECT province, month, avg(speed) AS speed FROM over_lines
    WHERE n IN ((k + 1) / 2, (k + 2) / 2) GROUP BY province, month
)
SELECT j.province, j.month, count(*) AS lines_measured, md.speed AS median_download_mbps,
       CAST(sum(CASE WHEN j.tests >= 10 AND j.contracted > 0
                      AND j.speed >= 0.8 * j.contracted THEN 1 ELSE 0 END) AS REAL)
         / nullif(sum(CASE WHEN j.tests >= 10 AND j.contracted > 0 THEN 1 ELSE 0 END), 0)
         AS meets_contract_share,
       sum(CASE WHEN j.tests < 10 THEN 1 ELSE 0 END) AS lines_too_few_tests,
       CAST(sum(j.reachable) AS REAL) / nullif(sum(j.pings), 0) AS availability_school_hours
FROM judged j LEFT JOIN medians md ON md.province IS j.province AND md.month = j.month
GROUP BY j.province, j.month
ORDER BY 1, 2
"""

# The month's figures per line from the month rollups, this month's too (the report reads a
# month covered in part from its month rollups when no day rollup lies outside the part: today,
# none after today), judged and added up by the database.
SQL_MONTHS = {
    "postgresql": """
SELECT l.province_id, to_char(m.month, 'YYYY-MM') AS month, count(*) AS lines_measured,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.measured_download) AS median_download_mbps,
       sum(CASE WHEN m.speed_tests_school_hours >= 10 AND s.download_mbps > 0
                 AND m.measured_download >= 0.8 * s.download_mbps THEN 1 ELSE 0 END)::float
         / nullif(sum(CASE WHEN m.speed_tests_school_hours >= 10 AND s.download_mbps > 0
                           THEN 1 ELSE 0 END), 0) AS meets_contract_share,
       sum(CASE WHEN m.speed_tests_school_hours < 10 THEN 1 ELSE 0 END) AS lines_too_few_tests,
       sum(m.pings_reachable_school_hours)::float / nullif(sum(m.pings_school_hours), 0)
         AS availability_school_hours
FROM measurements_monthlyrollup m
JOIN connectivity_subscription s ON s.id = m.line_id
JOIN registry_location l ON l.id = s.location_id
WHERE m.line_id IS NOT NULL AND m.month >= %(start)s AND m.month <= %(this_month)s
GROUP BY l.province_id, m.month
ORDER BY 1, 2
""",
    "sqlite": """
WITH judged AS (
    SELECT l.province_id AS province, substr(m.month, 1, 7) AS month,
           m.speed_tests_school_hours AS tests, m.measured_download AS speed,
           m.pings_school_hours AS pings, m.pings_reachable_school_hours AS reachable,
           s.download_mbps AS contracted
    FROM measurements_monthlyrollup m
    JOIN connectivity_subscription s ON s.id = m.line_id
    JOIN registry_location l ON l.id = s.location_id
    WHERE m.line_id IS NOT NULL AND m.month >= %(start)s AND m.month <= %(this_month)s
""" + SQLITE_OVER_LINES,
}

# The same figures from the day rollups alone: every speed list of the year unpacked.
SQL_DAYS = {
    "postgresql": """
WITH days AS (
    SELECT to_char(date_trunc('month', r.day), 'YYYY-MM') AS month, r.*
    FROM measurements_dailyrollup r
    WHERE r.line_id IS NOT NULL AND r.day >= %(start)s AND r.day <= %(at)s
), speeds AS (
    SELECT d.line_id, d.month, percentile_cont(0.5) WITHIN GROUP (ORDER BY s.v::float) AS speed
    FROM days d, jsonb_array_elements_text(d.download_school_hours) s(v)
    GROUP BY d.line_id, d.month
), line_months AS (
    SELECT d.line_id, d.month, sum(d.speed_tests_school_hours) AS tests,
           sum(d.pings_school_hours) AS pings, sum(d.pings_reachable_school_hours) AS reachable
    FROM days d GROUP BY d.line_id, d.month
)
SELECT l.province_id, lm.month, count(*) AS lines_measured,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY sp.speed) AS median_download_mbps,
       sum(CASE WHEN lm.tests >= 10 AND s.download_mbps > 0
                 AND sp.speed >= 0.8 * s.download_mbps THEN 1 ELSE 0 END)::float
         / nullif(sum(CASE WHEN lm.tests >= 10 AND s.download_mbps > 0 THEN 1 ELSE 0 END), 0)
         AS meets_contract_share,
       sum(CASE WHEN lm.tests < 10 THEN 1 ELSE 0 END) AS lines_too_few_tests,
       sum(lm.reachable)::float / nullif(sum(lm.pings), 0) AS availability_school_hours
FROM line_months lm
LEFT JOIN speeds sp ON sp.line_id = lm.line_id AND sp.month = lm.month
JOIN connectivity_subscription s ON s.id = lm.line_id
JOIN registry_location l ON l.id = s.location_id
GROUP BY l.province_id, lm.month
ORDER BY 1, 2
""",
    "sqlite": """
WITH days AS (
    SELECT r.*, substr(r.day, 1, 7) AS month FROM measurements_dailyrollup r
    WHERE r.line_id IS NOT NULL AND r.day >= %(start)s AND r.day <= %(at)s
), ranked AS (
    SELECT d.line_id, d.month, CAST(s.value AS REAL) AS v,
           row_number() OVER (PARTITION BY d.line_id, d.month ORDER BY CAST(s.value AS REAL)) AS n,
           count(*) OVER (PARTITION BY d.line_id, d.month) AS k
    FROM days d, json_each(d.download_school_hours) s
), speeds AS (
    SELECT line_id, month, avg(v) AS speed FROM ranked
    WHERE n IN ((k + 1) / 2, (k + 2) / 2) GROUP BY line_id, month
), placed AS (
    SELECT l.province_id AS province, d.line_id, d.month, sum(d.speed_tests_school_hours) AS tests,
           sum(d.pings_school_hours) AS pings, sum(d.pings_reachable_school_hours) AS reachable,
           s.download_mbps AS contracted
    FROM days d
    JOIN connectivity_subscription s ON s.id = d.line_id
    JOIN registry_location l ON l.id = s.location_id
    GROUP BY d.line_id, d.month
), judged AS (
    SELECT p.*, sp.speed FROM placed p
    LEFT JOIN speeds sp ON sp.line_id = p.line_id AND sp.month = p.month
""" + SQLITE_OVER_LINES,
}


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


def best(work: Any, runs: int) -> float:
    """The fastest of `runs` runs after one warm-up, in seconds."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def child(runs: int, keep: bool) -> dict[str, Any]:
    """Generate (unless kept from an earlier run) and time, in this database."""
    _setup()
    from django.db import connection
    from django.utils import timezone

    from ictmonitor.measurements.models import DailyRollup, MonthlyRollup
    from ictmonitor.reports.definitions import Parameters
    from ictmonitor.reports.engine import get_report, run_report

    today = timezone.localdate()
    out: dict[str, Any] = {"vendor": connection.vendor, "today": today.isoformat()}
    if not (keep and DailyRollup.objects.filter(day__lt=today - timedelta(days=300)).exists()):
        out["generated"] = generate(today)
    if not (keep and MonthlyRollup.objects.exists()):
        out["months"] = build_months()
    report = get_report("connectivity-quality")
    parameters = Parameters(by=("province", "month"), at=today)
    result = run_report(report, parameters)
    out["report_rows"] = len(result.rows)
    out["report"] = round(best(lambda: run_report(report, parameters), runs), 4)
    print(f"report {out['report']} s", file=sys.stderr, flush=True)
    this_month = today.replace(day=1)
    assert not DailyRollup.objects.filter(day__gt=today).exists()  # as SQL_MONTHS assumes
    values = {"at": today, "this_month": this_month, "start": date(today.year, 1, 1)}

    def query(sql: str) -> Any:
        def run() -> Any:
            with connection.cursor() as cursor:
                cursor.execute(sql, values)
                return cursor.fetchall()
        return run

    months = query(SQL_MONTHS[connection.vendor])
    out["sql_rows"] = len(months())
    out["same_figures"] = _compare(result.rows, months())
    out["sql_months"] = round(best(months, runs), 4)
    out["sql_days"] = round(best(query(SQL_DAYS[connection.vendor]), max(1, runs // 2)), 4)
    out["ratio_to_sql_months"] = round(out["report"] / out["sql_months"], 2)
    out["ratio_to_sql_days"] = round(out["report"] / out["sql_days"], 2)
    out["goal"] = {"seconds": GOAL_SECONDS, "ratio": GOAL_RATIO,
                   "met": out["report"] < GOAL_SECONDS and out["ratio_to_sql_months"] <= GOAL_RATIO}
    return out


def _compare(rows: list[dict[str, Any]], sql: list[tuple[Any, ...]]) -> bool:
    """Whether the report's figures are the SQL's (to rounding)."""
    names = ("lines_measured", "median_download_mbps", "meets_contract_share",
             "lines_too_few_tests", "availability_school_hours")
    report = {(r["province"], r["month"]): r for r in rows}
    for province, month, *figures in sql:
        row = report.get((province, month))
        if row is None:
            return False
        for name, value in zip(names, figures, strict=True):
            mine = row[name]
            if (mine is None) != (value is None) or (
                    value is not None and abs(float(mine) - float(value)) > 0.006):
                print(f"differs: {province} {month} {name}: {mine} vs {value}", file=sys.stderr)
                return False
    return len(report) == len(sql)


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
        print(f"{found['vendor']}: report {found['report']:.3f} s, SQL over the same rollups "
              f"{found['sql_months']:.3f} s (ratio {found['ratio_to_sql_months']}), SQL over "
              f"day rollups {found['sql_days']:.3f} s; same figures: {found['same_figures']}; "
              f"goal met: {found['goal']['met']}", flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "quality_report.json").write_text(json.dumps(report, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
