"""One report table protected on its own (`protect`): a sensitive report without a linked plan
(reports/protection.py plans the catalogue's over every table and release together). The
pattern is core's (core/disclosure/pattern.py); the table is a report's Result."""

from __future__ import annotations

import logging
from typing import Any

from ictmonitor.core.disclosure import FLAG, rule_text
from ictmonitor.core.disclosure.pattern import is_small, plan
from ictmonitor.reports.definitions import COUNT, Result

log = logging.getLogger(__name__)


def protect(result: Result) -> None:
    """Suppress small and derivable sensitive counts, and rates on them; state the rule."""
    dimensions = result.dimensions
    keys: list[tuple[Any, ...]]
    if len(dimensions) == 1:  # the common big case (a row per school): spare 100,000 loops
        keys = [(row.get(dimensions[0]),) for row in result.rows]
    else:
        keys = [tuple([row.get(d) for d in dimensions]) for row in result.rows]
    position = {key: i for i, key in enumerate(keys)}
    if len(position) != len(keys):
        # The pattern is per combination of dimension values; two rows for one would leak.
        raise ValueError(f"{result.report.id}: more than one row per combination of dimensions")
    hidden_rows: dict[int, set[str]] = {}  # only the rows with something hidden: tables are big
    hidden_totals: set[str] = set()
    measures = result.report.measures
    for measure in measures:
        if not measure.sensitive or measure.kind != COUNT or measure.rate_of:
            continue  # rates follow their counts below; only counts have a pattern
        code = measure.code
        # Zeros are published and known, like absent rows: the pattern needs only the others.
        cells = {key: value for key, row in zip(keys, result.rows, strict=True)
                 if (value := row.get(code))}
        outcome = plan(cells, len(dimensions))
        if outcome.unprotectable:
            # Only a coarser report's own suppression keeps these from being worked back.
            log.info("%s/%s by %s: %d suppressed cells rely on coarser reports' suppression",
                     result.report.id, code, ",".join(dimensions), len(outcome.unprotectable))
        for key in outcome.suppressed:
            hidden_rows.setdefault(position[key], set()).add(code)
        if is_small(result.totals.get(code) or 0):
            hidden_totals.add(code)
    rates = {m.code: m.rate_of for m in measures if m.rate_of}
    for i, hidden in hidden_rows.items():
        _hide(result.rows[i], hidden | _rates_on(rates, hidden))
    _hide(result.totals, hidden_totals | _rates_on(rates, hidden_totals))
    result.rule = rule_text(result.parameters.language)


def _rates_on(rates: dict[str, tuple[str, str]], hidden: set[str]) -> set[str]:
    """The rates computed from a hidden count."""
    return {code for code, counts in rates.items() if hidden.intersection(counts)}


def _hide(values: dict[str, Any], codes: set[str]) -> None:
    """Set these measures to None, each with its flag."""
    for code in codes:
        if code in values:
            values[code] = None
            values[f"{code}_flag"] = FLAG
