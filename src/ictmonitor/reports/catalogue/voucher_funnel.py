"""Where do vouchers get stuck between request and use? (seed 002, q1–2)"""

from __future__ import annotations

from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.shares import ratio
from ictmonitor.reports.catalogue.voucher_summary import VOUCHER_SUMMARY
from ictmonitor.reports.definitions import RATE, Measure, Parameters, Report, Rows
from ictmonitor.vouchers.selectors import FUNNEL_COUNTS, funnel

# Each stage's share of the one before: (share, stage, the stage before).
STAGES = (("issued_share", "issued", "requested"), ("handed_out_share", "handed_out", "issued"),
          ("activated_share", "activated", "handed_out"),
          ("used_share", "used_last_30_days", "activated"),
          ("extended_share", "extended", "activated"))
# A code's recent use comes and goes, so its count can fall from one release to the next; where
# it does, the linked protection hides every cell of it (reports/protection.py).


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Codes asked for, issued, handed out, activated, used lately and extended, per
    breakdown; every code and every code asked is in one row, so totals are the rows' sums."""
    rows = funnel(parameters.by, parameters.at)
    if parameters.by:
        totals = {m: sum(row[m] or 0 for row in rows) for m in FUNNEL_COUNTS}
    else:
        totals = {m: rows[0][m] or 0 for m in FUNNEL_COUNTS} if rows else dict.fromkeys(
            FUNNEL_COUNTS, 0)
    for values in (*rows, totals):
        for share, stage, before in STAGES:
            values[share] = ratio(values.get(stage), values.get(before))
    return rows, totals


VOUCHER_FUNNEL = Report(
    id="voucher-funnel",
    title=_("From voucher request to use"),
    question=_("Where do home-internet vouchers get stuck between the request and their use: "
               "how many codes were asked for, issued, handed out, activated, used lately and "
               "extended, and what share of the stage before is each?"),
    dimensions=VOUCHER_SUMMARY.dimensions,
    measures=(
        Measure("requested", _("codes asked for"), sensitive=True),
        Measure("issued", _("issued"), sensitive=True),
        Measure("handed_out", _("handed out"), sensitive=True),
        Measure("activated", _("activated"), sensitive=True),
        Measure("used_last_30_days", _("used in the last 30 days"), sensitive=True),
        Measure("extended", _("extended"), sensitive=True),
        Measure("issued_share", _("issued of asked"), kind=RATE, sensitive=True,
                rate_of=("issued", "requested")),
        Measure("handed_out_share", _("handed out of issued"), kind=RATE, sensitive=True,
                rate_of=("handed_out", "issued")),
        Measure("activated_share", _("activated of handed out"), kind=RATE, sensitive=True,
                rate_of=("activated", "handed_out")),
        Measure("used_share", _("used lately of activated"), kind=RATE, sensitive=True,
                rate_of=("used_last_30_days", "activated")),
        Measure("extended_share", _("extended of activated"), kind=RATE, sensitive=True,
                rate_of=("extended", "activated")),
    ),
    compute=compute,
    typical_by=("wave",),
    # As voucher-summary: the codes' tables are planned alike, so both reports hide the same
    # cells of the counts they share.
    protect_order=VOUCHER_SUMMARY.protect_order,
    unit_attributes=VOUCHER_SUMMARY.unit_attributes,
    source=_("The voucher ledger: requests and allocations, and the providers' voucher feeds"),
)
