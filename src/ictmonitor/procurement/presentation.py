"""A scenario's results as people read them: the yearly table, findings, chart and sensitivity,
shared by the page and the PDF."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ictmonitor.core.translation import language
from ictmonitor.procurement.chart import chart_svg, data_uri
from ictmonitor.procurement.forms import PER_YEAR, SHARING_CHOICES
from ictmonitor.procurement.model import (
    GROWTH_FACTORS,
    PER_SCHOOL,
    Financing,
    Scenario,
    YearTariff,
    financing,
    member_cost_per_school,
    sensitivity,
    sensitivity_table,
    summarise,
    tariffs,
)
from ictmonitor.procurement.scenarios import text_in


def money(amount: Decimal, decimals: int = 0) -> str:
    """`€ 19.300` / `€19,300`, `−€ 7.816.667`, in the active language, rounded half up (Django's
    number_format alone would cut the decimals off)."""
    rounded = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = number_format(abs(rounded), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    sign = "\u2212" if rounded < 0 else ""
    return f"{sign}€\u00a0{text}" if language() != "en" else f"{sign}€{text}"


def count(n: int | None) -> str:
    """A whole number with grouping, or `never` when there is none."""
    return _("never") if n is None else number_format(n, use_l10n=True, force_grouping=True)


def results(scenario: Scenario, language: str) -> dict[str, Any]:
    """Everything the page and the PDF show of a scenario's outcome, in a language."""
    with translation.override(language):
        years = tariffs(scenario)
        cash = financing(years)
        return {
            "years": [y.year for y in years],
            "rows": _rows(scenario, years, cash),
            "findings": _findings(scenario, years, cash),
            "chart": data_uri(chart_svg(scenario, years, _chart_words(), language)),
            "chart_alt": _("Chart: the tariff per school per year, a rural school's total with "
                           "its local connection, a consumer connection, the flat tariff and "
                           "the target when one is set. The table gives the same figures."),
            "sensitivity": _sensitivity(scenario),
            "cases": _cases(scenario),
            "cases_title": _("Sensitivity: membership and investment 20 % lower or higher"),
            "cases_caption": _("What membership or investment 20 % below or above the plan "
                               "does to the tariff and the working capital"),
            "first_tariff": money(years[0].tariff_per_school, 2),
            "assumptions": list(text_in(scenario.assumptions, language) or ()),
        }


def inputs(scenario: Scenario, language: str) -> dict[str, Any]:
    """The scenario's inputs as (label, text) lines and per-year rows, for the PDF."""
    s = scenario
    with translation.override(language):
        general = [
            (_("First year"), str(s.start_year)),
            (_("How members share the costs"), _sharing_name(s.sharing)),
            (_("Local connection in town, per school per year (€)"), money(s.local_urban)),
            (_("Local connection in the countryside, per school per year (€)"),
             money(s.local_rural)),
            (_("Rural members (%)"), number_format(s.rural_share * 100, decimal_pos=1)),
            (_("Target tariff per school per year (€)"),
             money(s.target_tariff) if s.target_tariff is not None
             else _("the consumer connection's price")),
        ]
        columns = {"schools": s.schools, "pupils": s.pupils, "subsidy": s.subsidy,
                   "consumer_price": s.consumer_price,
                   **{f"{p}_{k}": getattr(s, f"{p}_{k}") for p in ("investment", "operation")
                      for k in ("fixed", "per_school")}}
        per_year = [(str(label), [count(v) if key in ("schools", "pupils") else money(v)
                                  for v in columns[key]]) for key, label in PER_YEAR.items()]
        return {"general": general, "per_year": per_year, "years": list(s.years),
                "title": text_in(s.title, language) or s.name,
                "assumptions": list(text_in(s.assumptions, language) or ())}


def _rows(s: Scenario, years: Sequence[YearTariff], cash: Financing) -> list[dict[str, Any]]:
    """The yearly table: one row per figure, one cell per year; `key` names the row's cells."""
    def row(key: str, label: str, cells: list[str], strong: bool = False) -> dict[str, Any]:
        return {"key": key, "label": label, "cells": cells, "strong": strong}

    rows = [
        row("members", _("Member schools"), [count(y.members) for y in years]),
        row("pupils", _("Pupils at member schools"), [count(y.pupils) for y in years]),
        row("cost", _("Costs of the cooperative"), [money(y.cost) for y in years]),
        row("subsidy", _("Subsidy"), [money(y.subsidy) for y in years]),
        row("tariff_per_school", _("Tariff per school"),
            [money(y.tariff_per_school, 2) for y in years], strong=True),
        row("tariff_per_pupil", _("Tariff per pupil"),
            [money(y.tariff_per_pupil, 2) for y in years]),
    ]
    if s.sharing != PER_SCHOOL:
        rows += [
            row("per_school_part", _("Of which every school pays"),
                [money(y.per_school_part, 2) for y in years]),
            row("per_pupil_part", _("Of which per pupil"),
                [money(y.per_pupil_part, 2) for y in years]),
        ]
    rows += [
        row("total_urban", _("A school in town pays, with its local connection"),
            [money(y.total_urban, 2) for y in years]),
        row("total_rural", _("A school in the countryside pays, with its local connection"),
            [money(y.total_rural, 2) for y in years]),
        row("consumer_price", _("Consumer connection"), [money(y.consumer_price) for y in years]),
        row("flat_tariff", _("Flat tariff (the same every year, recovers the period)"),
            [money(cash.flat_tariff, 2) for _year in years]),
        row("flat_tariff_cash_position", _("The cooperative's cash at the flat tariff"),
            [money(p) for p in cash.positions]),
        row("working_capital_needed", _("Working capital needed by then"),
            [money(c) for c in cash.working_capital], strong=True),
    ]
    if s.target_tariff is not None:
        rows.append(row("members_for_target", _("Members needed for the target"),
                        [count(y.members_for_target) for y in years]))
    rows.append(row("break_even_members", _("Members needed to match a consumer connection"),
                    [count(y.break_even_members) for y in years]))
    return rows


def _findings(s: Scenario, years: Sequence[YearTariff], cash: Financing) -> list[str]:
    """What the figures say, in the seed's terms."""
    sm = summarise(s, years)
    first, last = years[0], years[-1]
    target = money(s.target_tariff) if s.target_tariff is not None else _(
        "a consumer connection's price")
    found = [_("In %(first)s a member school pays %(t1)s; in %(last)s %(tn)s: at the start the "
               "tariff is %(ratio)s times that at the end.") % {
        "first": first.year, "t1": money(first.tariff_per_school), "last": last.year,
        "tn": money(last.tariff_per_school),
        "ratio": number_format(sm.ratio, decimal_pos=1)}]
    above = {"local": money(s.local_average), "consumer": money(last.consumer_price),
             "years": ", ".join(str(y) for y in sm.above_consumer_years)}
    if len(sm.above_consumer_years) == len(years):
        found.append(_("With its own local connection (%(local)s a year on average) a member "
                       "pays more than for a consumer connection (%(consumer)s) in every "
                       "year.") % above)
    elif sm.above_consumer_years:
        found.append(_("With its own local connection (%(local)s a year on average) a member "
                       "pays more than for a consumer connection in %(years)s.") % above)
    else:
        found.append(_("With its own local connection a member pays no more than for a "
                       "consumer connection in any year."))
    if last.break_even_members is None:
        member = money(member_cost_per_school(s, len(years) - 1))
        found.append(_("No number of members brings a school's cost down to a consumer "
                       "connection: the cost per member (%(member)s) and the local connection "
                       "(%(local)s) are above it already.") % {
            "member": member, "local": money(s.local_average)})
    else:
        found.append(_("From %(n)s members on, a school's cost with its local connection is no "
                       "more than a consumer connection (in %(year)s).") % {
            "n": count(last.break_even_members), "year": last.year})
    if cash.working_capital_needed > 0:
        found.append(_("At one flat tariff of %(flat)s per member-year, the same for early and "
                       "late members, the cooperative's cash falls to %(capital)s below zero by "
                       "the end of %(deepest)s: working capital someone has to pre-finance (a "
                       "start subsidy, a loan or the members' own funds). It is back to zero in "
                       "%(repaid)s.") % {
            "flat": money(cash.flat_tariff, 2), "capital": money(cash.working_capital_needed),
            "deepest": cash.deepest_year, "repaid": cash.repaid_year})
    else:
        found.append(_("At one flat tariff of %(flat)s per member-year the cooperative needs no "
                       "working capital.") % {"flat": money(cash.flat_tariff, 2)})
    if s.target_tariff is not None and sm.above_target_years:
        found.append(_("The tariff is above the target of %(target)s in %(years)s.") % {
            "target": target, "years": ", ".join(str(y) for y in sm.above_target_years)})
    found.append(_("Over %(n)s years the cooperative costs %(cost)s; its members also pay "
                   "%(local)s for their local connections.") % {
        "n": len(years), "cost": money(sm.cost), "local": money(sm.local_costs)})
    return found


def _sensitivity(s: Scenario) -> list[dict[str, Any]]:
    """The tariff per school each year under slower and faster membership growth."""
    rows = []
    for factor, years in sensitivity(s, GROWTH_FACTORS).items():
        shown = {"factor": number_format(factor.normalize(), use_l10n=True)}
        if factor == 1:
            label = _("as forecast")
        elif factor < 1:
            label = _("%(factor)s× the members (slower)") % shown
        else:
            label = _("%(factor)s× the members (faster)") % shown
        rows.append({"label": label, "forecast": factor == 1,
                     "cells": [money(y.tariff_per_school) for y in years]})
    return rows


def _cases(s: Scenario) -> list[dict[str, Any]]:
    """Membership and investment 20 % below and above the plan: tariffs and working capital."""
    rows = []
    for case in sensitivity_table(s):
        change = number_format((case.factor - 1) * 100, decimal_pos=0, use_l10n=True)
        shown = {"change": change if case.factor < 1 else f"+{change}"}
        if case.key == "membership":
            label = _("Membership %(change)s %%") % shown
        elif case.key == "investment":
            label = _("Investment %(change)s %%") % shown
        else:
            label = _("As planned")
        rows.append({"key": case.key, "label": label, "planned": case.key == "as_planned",
                     "cells": [money(case.first_tariff), money(case.last_tariff),
                               money(case.flat_tariff, 2), money(case.working_capital_needed)]})
    return rows


def _chart_words() -> dict[str, str]:
    return {"title": _("Tariff per school per year"), "year": _("Year"),
            "axis": _("Euros per school per year"), "tariff": _("Tariff per school"),
            "rural": _("A school in the countryside, with its local connection"),
            "consumer": _("Consumer connection"), "target": _("Target tariff"),
            "flat": _("Flat tariff (the same every year, recovers the period)")}


def _sharing_name(sharing: str) -> str:
    return str(dict(SHARING_CHOICES).get(sharing, sharing))
