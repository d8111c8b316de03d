"""Statistical disclosure control for public reports (reports.md, "Disclosure control").

Counts of pupils and vouchers (sensitive measures) from 1 to 9 are suppressed, with further
cells wherever they could be worked back. The catalogue's sensitive reports are protected over
all their public tables and releases together (linked.py, through reports/protection.py); a
table on its own, by pattern.py. Rates computed from a suppressed count go with it. Suppressed
values become None with a sibling `<measure>_flag: "c"`; the pages and files show `x`.
"""

from __future__ import annotations

from ictmonitor.core.disclosure.pattern import suppression_pattern
from ictmonitor.core.translation import message as _

__all__ = ["FLAG", "RULE", "rule_text", "suppression_pattern"]

FLAG = "c"
RULE = _("Counts of pupils, vouchers and incidents from 1 to 9 are not shown (x), nor is any "
         "other cell from which they could be worked out using every published table and "
         "release together; percentages based on them are not shown either. An x may stand for "
         "any count, 10 or more included.")


def rule_text(language: str) -> str:
    """The disclosure rule as a public report states it, in Dutch or English."""
    return RULE(language)
