"""How many vouchers per school, education type, province and wave? (seed 002, q1–2)"""

from __future__ import annotations

from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.reports.definitions import RATE, Measure, Parameters, Report, Rows
from ictmonitor.vouchers.selectors import SUMMARY_COUNTS, summarise


def _rate(values: dict[str, Any]) -> float | None:
    issued = values.get("issued") or 0
    return (values.get("activated") or 0) / issued if issued else None


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Codes counted in the database per breakdown; every code is in one row, so the totals
    are the rows' sums. The activation rate is activated over issued."""
    rows = summarise(parameters.by, parameters.at)
    if parameters.by:
        totals = {m: sum(row[m] or 0 for row in rows) for m in SUMMARY_COUNTS}
    else:
        totals = {m: rows[0][m] or 0 for m in SUMMARY_COUNTS}
    for values in (*rows, totals):
        values["activation_rate"] = _rate(values)
    return rows, totals


VOUCHER_SUMMARY = Report(
    id="voucher-summary",
    title=_("Home-internet vouchers for pupils"),
    question=_("How many home-internet vouchers were requested, issued and activated, per "
               "school, level, province and wave?"),
    dimensions=("wave", "school", "level", "province", "requested_by", "provider"),
    measures=(
        Measure("requested", _("requested"), sensitive=True),
        Measure("issued", _("issued"), sensitive=True),
        Measure("activated", _("activated"), sensitive=True),
        Measure("extended", _("extended"), sensitive=True),
        Measure("activation_rate", _("activation rate"), kind=RATE,
                sensitive=True, rate_of=("activated", "issued")),
    ),
    compute=compute,
    typical_by=("wave",),
    # A school's own cells first: on the national demo this hides the fewest schools (of the
    # orders tried), and the provider and requester tables lose no more.
    protect_order=("provider", "requested_by", "school", "province", "level", "wave"),
    unit_attributes={"school": ("level", "province")},
    source=_("The providers' voucher feeds (Telenet, Proximus)"),
)
