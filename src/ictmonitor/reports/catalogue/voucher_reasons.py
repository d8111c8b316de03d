"""Why were issued voucher codes not activated? (seed 002: 47,000 issued, 7,924 activated)"""

from __future__ import annotations

from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.voucher_summary import VOUCHER_SUMMARY
from ictmonitor.reports.definitions import Measure, Parameters, Report, Rows
from ictmonitor.vouchers.selectors import not_activated


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Codes issued and not activated by `--at`, by the reason their school recorded; every
    such code is in one row, so the total is the rows' sum."""
    rows = not_activated(parameters.by, parameters.at)
    total = sum(row["codes"] for row in rows) if parameters.by else rows[0]["codes"]
    return rows, {"codes": total or 0}


VOUCHER_REASONS = Report(
    id="voucher-reasons",
    title=_("Why voucher codes were not activated"),
    question=_("Why were issued home-internet voucher codes not activated, as the schools "
               "recorded it?"),
    dimensions=("wave", "reason", "provider", "province", "level", "requested_by"),
    measures=(Measure("codes", _("codes not activated"), sensitive=True),),
    compute=compute,
    typical_by=("wave", "reason"),
    # For the department's analysts only: a code's reason can change and an activation takes
    # it out of these counts, so they can fall between releases, which the linked protection
    # of the public voucher tables cannot plan for.
    public=False,
    source=VOUCHER_SUMMARY.source,
)
