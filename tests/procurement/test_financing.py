"""The shipped scenarios' financing and sensitivity, figure by figure (seed 003, issue 15).

Berenschot (seed 003): without a start subsidy "or another way to provide for the start-up
costs" the service is probably not feasible. At one flat tariff the sivon-2018 cooperative's
cash falls to EUR 12,766,666.67 below zero by year 2 (2019): the "about EUR 12.8M" of working
capital. The Flemish fibre framework (2023) is built on its public figures (EUR 59M) with our
estimates for the rest, which its file marks.
"""

from __future__ import annotations

from decimal import Decimal

from ictmonitor.procurement.model import cents, financing, sensitivity_table, summarise, tariffs
from ictmonitor.procurement.scenarios import load_scenario, shipped_names


def money(values) -> list[Decimal]:
    return [cents(v) for v in values]


def test_sivon_2018_needs_12_8_million_of_working_capital_by_year_two() -> None:
    years = tariffs(load_scenario("sivon-2018"))
    cash = financing(years)
    assert cents(cash.flat_tariff) == Decimal("3666.67")  # 55,000,000 / 15,000 member-years
    assert money(cash.positions) == [Decimal("-7816666.67"), Decimal("-12766666.67"),
                                     Decimal("-12166666.67"), Decimal("-7516666.67"), 0]
    assert cash.working_capital == (Decimal("7816666.67"), Decimal("12766666.67"),
                                    Decimal("12766666.67"), Decimal("12766666.67"),
                                    Decimal("12766666.67"))
    assert (cash.deepest_year, cash.repaid_year) == (2019, 2022)
    assert round(cash.working_capital_needed / 1_000_000, 1) == Decimal("12.8")


def test_sivon_2018_sensitivity_membership_and_investment_a_fifth_off() -> None:
    table = {(c.key, c.factor): c for c in sensitivity_table(load_scenario("sivon-2018"))}
    planned = table["as_planned", 1]
    assert (cents(planned.first_tariff), cents(planned.last_tariff)) == (19300, 2300)
    fewer, more = table["membership", Decimal("0.8")], table["membership", Decimal("1.2")]
    assert (cents(fewer.first_tariff), cents(fewer.flat_tariff)) == (23800, Decimal("4258.33"))
    assert (cents(more.first_tariff), cents(more.flat_tariff)) == (16300, Decimal("3272.22"))
    # Joining at the same pace, only more or fewer: the shortfall of fixed costs is the same.
    assert fewer.working_capital_needed == more.working_capital_needed == Decimal("12766666.67")
    cheaper, dearer = table["investment", Decimal("0.8")], table["investment", Decimal("1.2")]
    assert cheaper.working_capital_needed == Decimal("11033333.33")
    assert dearer.working_capital_needed == Decimal("14500000.00")
    assert (cents(cheaper.flat_tariff), cents(dearer.flat_tariff)) == (Decimal("3373.33"), 3960)


def test_the_start_subsidy_leaves_less_to_pre_finance() -> None:
    cash = financing(tariffs(load_scenario("sivon-2018-start-subsidy")))
    assert cents(cash.flat_tariff) == Decimal("2633.33")  # (55M − 15.5M) / 15,000
    assert cash.working_capital_needed == Decimal("1833333.33")
    assert cash.deepest_year == 2020


def test_the_flemish_fibre_framework_adds_up_to_its_public_59_million() -> None:
    assert "flanders-fibre-2023" in shipped_names()
    s = load_scenario("flanders-fibre-2023")
    years = tariffs(s)
    assert s.years == (2023, 2024, 2025, 2026, 2027)
    assert summarise(s, years).cost == 59_000_000
    assert money(y.tariff_per_school for y in years) == [
        7840, 5420, Decimal("4621.43"), Decimal("4231.25"), Decimal("4070.59")]
    cash = financing(years)
    assert cents(cash.flat_tariff) == Decimal("4758.06")  # 59,000,000 / 12,400 school-years
    assert cash.working_capital_needed == Decimal("4405806.45")
    assert cash.deepest_year == 2024
    # The framework's monthly fee (EUR 250) is 40 % of the market's, its connection 10 %.
    assert s.operation_per_school[0] == 12 * 250 == Decimal("0.4") * 12 * 625
    first_connections = s.investment_fixed[0] / s.schools[0]
    assert first_connections == 1500 == Decimal("0.1") * 15000


def test_the_fibre_framework_marks_what_is_an_estimate() -> None:
    s = load_scenario("flanders-fibre-2023")
    for language, public, estimate in (("nl", "Publiek cijfer", "Raming"),
                                       ("en", "Public figure", "Estimate")):
        lines = s.assumptions[language]
        assert all(line.startswith((public, estimate)) for line in lines)
        assert sum(line.startswith(public) for line in lines) == 2
        assert "59" in lines[0]
    assert "raming" in s.title["nl"] and "estimate" in s.title["en"]
