"""Disclosure control over every public table of a sensitive report at once (reports.md).

A report with `protect_order` (pupils, voucher-summary) is protected by one plan made on its
finest table — every dimension at once — on each release up to the date asked
(core/disclosure/linked.py), and every table it publishes, broken down any way, carries that
plan: a cell is suppressed unless it is a union of whole clusters of the plan. Dimensions not
in `protect_order` (the school year) are separate tables: the plan never sums over them, so the
finest table needs them only when the table asked has them.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict
from datetime import date
from typing import Any

from ictmonitor.core.disclosure import FLAG, rule_text
from ictmonitor.core.disclosure.linked import LinkedPlan, plan_linked
from ictmonitor.core.disclosure.pattern import is_small
from ictmonitor.core.selectors import data_stamp
from ictmonitor.reports.definitions import COUNT, Parameters, Report, Result
from ictmonitor.reports.frozen import public_figures
from ictmonitor.reports.selectors import release_dates, release_stamp

CACHED_PLANS = 32
_cache: OrderedDict[tuple[Any, ...], dict[str, LinkedPlan | None]] = OrderedDict()
log = logging.getLogger(__name__)
_lock = threading.Lock()


def finest_dimensions(report: Report, by: tuple[str, ...]) -> tuple[str, ...]:
    """Every dimension the plan sums over, and those of the others the table asks for."""
    return tuple(d for d in report.dimensions if d in report.protect_order or d in by)


def planned_dates(report: Report, parameters: Parameters) -> list[date | None]:
    """The dates whose figures the plan covers, oldest first: the releases before the date
    asked, then that date (a release, or one an analyst previews as if it were the next); one
    undated table for a report that does not use `at`."""
    if "at" not in report.uses:
        return [None]
    return [*(d for d in release_dates() if d < parameters.at), parameters.at]


def sensitive_counts(report: Report) -> list[str]:
    """The measures the plan protects: sensitive counts (rates follow their counts)."""
    return [m.code for m in report.measures
            if m.sensitive and m.kind == COUNT and not m.rate_of]


def plans(report: Report, parameters: Parameters) -> dict[str, LinkedPlan | None]:
    """One plan per sensitive count, over the finest table on every planned date (every page
    of a report shares it). A plan made from frozen release tables only is kept until the
    releases change; one that reads current data, until the next import or recorded write."""
    finest = finest_dimensions(report, parameters.by)
    key = (report.id, finest, tuple(planned_dates(report, parameters)), parameters.year,
           tuple(sorted(parameters.options.items())), _stamp(report, parameters))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    made = _plan(report, parameters, finest)
    with _lock:
        _cache[key] = made
        while len(_cache) > CACHED_PLANS:
            _cache.popitem(last=False)
    return made


def _stamp(report: Report, parameters: Parameters) -> tuple[Any, ...]:
    """What the plan's figures depend on: the releases alone when every date it covers is a
    release (their frozen tables never change), else whatever is written."""
    releases = release_stamp()
    days = [on for on, _made in releases]
    if days and ("at" not in report.uses or parameters.at in days):
        return ("releases", *releases)
    return ("data", *data_stamp())


def _plan(report: Report, parameters: Parameters, finest: tuple[str, ...]
          ) -> dict[str, LinkedPlan | None]:
    """The plans, computed from the frozen tables of the releases (and the data as it stands
    for a date previewed before its release)."""
    tables = []
    for day in planned_dates(report, parameters):
        asked = dataclasses.replace(parameters, by=finest)
        if day is not None:
            asked = dataclasses.replace(asked, at=day)
        tables.append(public_figures(report, asked)[0])
    return {code: _plan_one(report, finest, code, tables) for code in sensitive_counts(report)}


def _plan_one(report: Report, finest: tuple[str, ...], code: str,
              tables: list[list[dict[str, Any]]]) -> LinkedPlan | None:
    """One measure's plan; None when a finest cell fell between two releases (a school moved
    to another province or level, a code withdrawn): the growth the plan rests on does not
    hold, so every cell of the measure is hidden rather than risked."""
    try:
        return plan_linked(finest, [{tuple(row[d] for d in finest): row[code] or 0
                                     for row in rows} for rows in tables],
                           report.protect_order)
    except ValueError:
        log.warning("%s: %s fell between releases; every %s cell is hidden", report.id,
                    code, code)
        return None


def protect_linked(result: Result) -> None:
    """Suppress every cell of this result that the report's plans do not let it publish."""
    report, parameters = result.report, result.parameters
    found = plans(report, parameters)
    dims = tuple(result.dimensions)
    rates = {m.code: m.rate_of for m in report.measures if m.rate_of}
    last = len(planned_dates(report, parameters)) - 1
    hidden_rows = {code: plan.suppressed(dims, last) for code, plan in found.items() if plan}
    hidden_total = {code for code, plan in found.items()
                    if plan is None or plan.suppressed((), last)}
    unplanned = {code for code, plan in found.items() if plan is None}
    for row in result.rows:
        key = tuple(row[d] for d in dims)
        _hide(row, unplanned | {code for code, keys in hidden_rows.items()
                                if key in keys or is_small(row.get(code) or 0)}, rates)
    _hide(result.totals, hidden_total | {
        code for code in found if is_small(result.totals.get(code) or 0)}, rates)
    result.rule = rule_text(parameters.language)


def _hide(values: dict[str, Any], codes: set[str], rates: dict[str, tuple[str, str]]) -> None:
    """Suppress these counts, and the rates computed from them."""
    codes = codes | {code for code, counts in rates.items() if codes.intersection(counts)}
    for code in codes:
        if code in values:
            values[code] = None
            values[f"{code}_flag"] = FLAG
