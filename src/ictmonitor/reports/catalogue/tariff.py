"""What does a cooperative connection cost a school each year? (seed 003)

Computed from a tariff scenario, not the database: `--scenario NAME|FILE` (sivon-2018 when not
given). By `year`, one row per year of the scenario: the members and the costs behind the tariff,
the tariff, what a rural school pays with its own local connection, a consumer line, and the
financing at one flat tariff (the cash position and the working capital needed by then).

The totals are the period's: members and pupils at its end, the costs and subsidy summed, the
tariffs per member-year and per pupil-year, the flat tariff, the cash position at its end and the
working capital the whole period needs. Every output carries the scenario's assumptions: the JSON
in `assumptions` (the scenario as data), `financing` and `sensitivity`; the page, PDF, XLSX and
the CSV's data package as lines people read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ictmonitor.core.translation import message as _
from ictmonitor.procurement.model import (
    Scenario,
    YearTariff,
    cents,
    financing,
    sensitivity_table,
    summarise,
    tariffs,
)
from ictmonitor.procurement.scenarios import DEFAULT, ScenarioError, load_scenario, text_in, to_data
from ictmonitor.reports.definitions import (
    COUNT,
    MONEY,
    RATE,
    Annotations,
    Measure,
    Parameters,
    Report,
    ReportError,
    Rows,
)
from ictmonitor.reports.formatting import format_number

ZERO = Decimal(0)
CASE_NAMES = {
    "as_planned": _("As planned"),
    "membership": _("Membership %(change)s"),
    "investment": _("Investment %(change)s"),
}
SHARING_NAMES = {"per_school": _("per school"), "per_pupil": _("per pupil"),
                 "mixed": _("the supplier's price per school, the shared costs per pupil")}


def _scenario(parameters: Parameters) -> Scenario:
    try:
        return load_scenario(parameters.options.get("scenario") or DEFAULT)
    except ScenarioError as error:
        raise ReportError(f"--scenario {error}") from None


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """One row per year of the scenario asked for; ReportError for an unknown or bad one."""
    scenario = _scenario(parameters)
    years = tariffs(scenario)
    cash = financing(years)
    rows = [{
        "year": str(y.year),
        "members": y.members,
        "pupils": y.pupils,
        "cost": cents(y.cost),
        "subsidy": cents(y.subsidy),
        "tariff_per_school": cents(y.tariff_per_school),
        "tariff_per_pupil": cents(y.tariff_per_pupil),
        "rural_school_total": cents(y.total_rural),
        "consumer_line": cents(y.consumer_price),
        "flat_tariff": cents(cash.flat_tariff),
        "flat_tariff_cash_position": cents(position),
        "working_capital_needed": cents(capital),
    } for y, position, capital in zip(years, cash.positions, cash.working_capital, strict=True)]
    summary = summarise(scenario, years)
    member_years = sum(y.members for y in years)
    totals = {
        "members": years[-1].members,
        "pupils": years[-1].pupils,
        "cost": cents(summary.cost),
        "subsidy": cents(summary.subsidy),
        "tariff_per_school": cents(summary.average_tariff_per_school),
        "tariff_per_pupil": cents(summary.average_tariff_per_pupil),
        "rural_school_total": cents(summary.average_tariff_per_school + scenario.local_rural),
        "consumer_line": cents(_per_member_year(years, member_years)),
        "flat_tariff": cents(cash.flat_tariff),
        "flat_tariff_cash_position": cents(cash.positions[-1]),
        "working_capital_needed": cents(cash.working_capital_needed),
    }
    return rows, totals


def _per_member_year(years: list[YearTariff], member_years: int) -> Decimal:
    """The consumer line's price averaged as the tariff is: per member-year."""
    return sum((y.consumer_price * y.members for y in years), ZERO) / member_years


def annotate(parameters: Parameters) -> Annotations:
    """The scenario's assumptions, its financing and the sensitivity table, as data and lines."""
    language = parameters.language
    scenario = _scenario(parameters)
    years = tariffs(scenario)
    cash = financing(years)
    cases = sensitivity_table(scenario)
    data = {
        "assumptions": to_data(scenario),
        "financing": {
            "flat_tariff": cents(cash.flat_tariff),
            "working_capital_needed": cents(cash.working_capital_needed),
            "deepest_year": cash.deepest_year,
            "back_to_zero_year": cash.repaid_year,
        },
        "sensitivity": [{
            "case": case.key, "factor": case.factor,
            "first_tariff": cents(case.first_tariff), "last_tariff": cents(case.last_tariff),
            "flat_tariff": cents(case.flat_tariff),
            "working_capital_needed": cents(case.working_capital_needed),
        } for case in cases],
    }
    return Annotations(data=data, lines=_lines(scenario, years, language))


def _lines(scenario: Scenario, years: list[YearTariff], language: str) -> list[tuple[str, str]]:
    """What people read beside the table: scenario, assumptions, financing, sensitivity."""
    def money(amount: Decimal) -> str:
        return format_number(cents(amount), MONEY, language)

    cash = financing(years)
    s = scenario
    lines = [(_("Scenario")(language), str(text_in(s.title, language) or s.name))]
    lines += [(_("Assumption")(language), text)
              for text in (text_in(s.assumptions, language) or ())]
    lines.append((_("Inputs")(language), _(
        "costs shared %(sharing)s; a school's own local connection %(urban)s a year in town, "
        "%(rural)s in the countryside, %(share)s of members rural; subsidy %(subsidy)s in all; "
        "a consumer line %(consumer)s a year")(language) % {
        "sharing": SHARING_NAMES[s.sharing](language), "urban": money(s.local_urban),
        "rural": money(s.local_rural), "share": format_number(s.rural_share, RATE, language),
        "subsidy": money(sum(s.subsidy, ZERO)), "consumer": money(s.consumer_price[0])}))
    if cash.working_capital_needed > 0:
        financed = _(
            "At one flat tariff of %(flat)s per member-year the cooperative's cash falls to "
            "%(capital)s below zero by the end of %(deepest)s: the working capital to "
            "pre-finance; it is back to zero in %(repaid)s.")(language) % {
            "flat": money(cash.flat_tariff), "capital": money(cash.working_capital_needed),
            "deepest": cash.deepest_year, "repaid": cash.repaid_year}
    else:
        financed = _("At one flat tariff of %(flat)s per member-year the cooperative needs no "
                     "working capital.")(language) % {"flat": money(cash.flat_tariff)}
    lines.append((_("Financing")(language), financed))
    for case in sensitivity_table(scenario):
        change = format_number(case.factor - 1, RATE, language)
        name = CASE_NAMES[case.key](language) % {
            "change": change if case.factor < 1 else f"+{change}"}
        lines.append((_("Sensitivity")(language), _(
            "%(case)s: tariff %(first)s in the first year, %(last)s in the last; flat tariff "
            "%(flat)s; working capital %(capital)s")(language) % {
            "case": name, "first": money(case.first_tariff), "last": money(case.last_tariff),
            "flat": money(case.flat_tariff), "capital": money(case.working_capital_needed)}))
    return lines


TARIFF = Report(
    id="tariff",
    title=_("Cooperative connection tariff"),
    question=_("What does a cooperative connection cost a school each year?"),
    dimensions=("year",),
    measures=(
        Measure("members", _("members (schools)"), kind=COUNT),
        Measure("pupils", _("pupils at member schools"), kind=COUNT),
        Measure("cost", _("costs of the cooperative"), kind=MONEY),
        Measure("subsidy", _("subsidy"), kind=MONEY),
        Measure("tariff_per_school", _("tariff per school"), kind=MONEY),
        Measure("tariff_per_pupil", _("tariff per pupil"), kind=MONEY),
        Measure("rural_school_total", _("a rural school pays, with its local connection"),
                kind=MONEY),
        Measure("consumer_line", _("consumer line"), kind=MONEY),
        Measure("flat_tariff", _("flat tariff"), kind=MONEY),
        Measure("flat_tariff_cash_position", _("cash position at the flat tariff"), kind=MONEY),
        Measure("working_capital_needed", _("working capital needed"), kind=MONEY),
    ),
    compute=compute,
    typical_by=("year",),
    uses=frozenset({"scenario"}),
    source=_("Cooperative procurement tariff model, scenario (default sivon-2018)"),
    annotate=annotate,
)
