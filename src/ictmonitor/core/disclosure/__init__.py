"""Statistical disclosure control for public reports (reports.md, "Disclosure control").

Counts of pupils and vouchers (sensitive measures) from 1 to 9 are suppressed, with further
cells wherever they could be worked back. The catalogue's sensitive reports are protected over
all their public tables and releases together (linked.py, through reports/protection.py); a
table on its own, by pattern.py. Rates computed from a suppressed count go with it. Suppressed
values become None with a sibling `<measure>_flag: "c"`; the pages and files show `x`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ictmonitor.core.disclosure.pattern import is_small, plan, suppression_pattern
from ictmonitor.core.translation import message as _
from ictmonitor.reports.definitions import COUNT

if TYPE_CHECKING:
    from ictmonitor.reports.definitions import Result

__all__ = ["FLAG", "RULE", "protect", "rule_text", "suppression_pattern"]

FLAG = "c"
RULE = _("Counts of pupils, vouchers and incidents from 1 to 9 are not shown (x), nor is any "
         "other cell from which they could be worked out using every published table and "
         "release together; percentages based on them are not shown either. An x may stand for "
         "any count, 10 or more included.")

log = logging.getLogger(__name__)


def rule_text(language: str) -> str:
    """The disclosure rule as a public report states it, in Dutch or English."""
    return RULE(language)


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
