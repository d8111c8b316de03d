"""How many institutions hold a valid label, per province and level? (seed 004, question 1)"""

from __future__ import annotations

from typing import Any

from ictmonitor.assessment.selectors.reporting import count_label_holders
from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue.participation import participation
from ictmonitor.reports.catalogue.shares import add_shares
from ictmonitor.reports.definitions import RATE, Measure, Parameters, Report, Rows

SOURCE = _("Online-safety self-assessments and labels, with the labels carried over from the "
           "eSafety Label programme")


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Institutions with a valid label on `--at`, each once, under its latest valid label, and
    their share of the open institutions of the same cell."""
    rows, totals = count_label_holders(parameters.by, parameters.at)
    add_shares(rows, totals, parameters.by, parameters.at, count="institutions")
    return rows, totals


LABEL_HOLDERS = Report(
    id="label-holders",
    title=_("Institutions holding a valid label"),
    question=_("How many institutions hold a valid online-safety label, per province and level?"),
    dimensions=("province", "level", "label_level", "special", "network", "board"),
    measures=(
        Measure("institutions", _("institutions"), stock=True),
        Measure("share", _("share of all institutions"), kind=RATE, stock=True),
    ),
    compute=compute,
    typical_by=("province",),
    source=SOURCE,
    annotate=participation,
)
