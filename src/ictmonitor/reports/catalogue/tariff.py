"""What does a cooperative connection cost a school each year? (seed 003)

Computed from a tariff scenario, not the database: `--scenario NAME|FILE` (sivon-2018 when not
given). By `year`, one row per year of the scenario. The totals are the period's: members at
its end, the tariffs per member-year and per pupil-year, the subsidy needed summed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.procurement.model import cents, summarise, tariffs
from ictmonitor.procurement.scenarios import DEFAULT, ScenarioError, load_scenario
from ictmonitor.reports.definitions import COUNT, MONEY, Measure, Parameters, Report, Rows
from ictmonitor.reports.engine import ReportError


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """One row per year of the scenario asked for; ReportError for an unknown or bad one."""
    try:
        scenario = load_scenario(parameters.options.get("scenario") or DEFAULT)
    except ScenarioError as error:
        raise ReportError(f"--scenario {error}") from None
    years = tariffs(scenario)
    rows = [{
        "year": str(y.year),
        "members": y.members,
        "tariff_per_school": cents(y.tariff_per_school),
        "tariff_per_pupil": cents(y.tariff_per_pupil),
        "subsidy_needed": y.subsidy_needed,
    } for y in years]
    summary = summarise(scenario, years)
    totals = {
        "members": years[-1].members,
        "tariff_per_school": cents(summary.average_tariff_per_school),
        "tariff_per_pupil": cents(summary.average_tariff_per_pupil),
        "subsidy_needed": sum((y.subsidy_needed for y in years), Decimal(0)),
    }
    return rows, totals


TARIFF = Report(
    id="tariff",
    title=_("Cooperative connection tariff"),
    question=_("What does a cooperative connection cost a school each year?"),
    dimensions=("year",),
    measures=(
        Measure("members", _("members (schools)"), kind=COUNT),
        Measure("tariff_per_school", _("tariff per school"),
                kind=MONEY),
        Measure("tariff_per_pupil", _("tariff per pupil"),
                kind=MONEY),
        Measure("subsidy_needed", _("subsidy needed"), kind=MONEY),
    ),
    compute=compute,
    typical_by=("year",),
    uses=frozenset({"scenario"}),
    source=_("Cooperative procurement tariff model, scenario (default sivon-2018)"),
)
