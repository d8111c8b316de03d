"""The tariff arithmetic: costs recovered each year, tariffs falling with members, break-even,
the order of the growth scenarios, and the financing at one flat tariff."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ictmonitor.procurement.model import (
    CENT,
    GROWTH_FACTORS,
    MIXED,
    PER_PUPIL,
    SHARING,
    Scenario,
    cents,
    financing,
    flat_tariff,
    members_needed,
    sensitivity,
    sensitivity_table,
    summarise,
    tariffs,
)

EURO = st.integers(min_value=0, max_value=50_000_000_00).map(lambda c: Decimal(c) / 100)
PRICE = st.integers(min_value=0, max_value=20_000_00).map(lambda c: Decimal(c) / 100)


def scenario(schools=(10,), pupils=(2000,), fixed=("10000",), per_school=("100",),
             subsidy=("0",), consumer="900", **more) -> Scenario:
    """A small scenario: investment and operation split the fixed and per-school costs."""
    n = len(schools)

    def money(values):
        return tuple(Decimal(v) for v in values)

    return Scenario(
        start_year=2018, schools=tuple(schools), pupils=tuple(pupils),
        investment_fixed=money(fixed), investment_per_school=(Decimal(0),) * n,
        operation_fixed=(Decimal(0),) * n, operation_per_school=money(per_school),
        subsidy=money(subsidy), consumer_price=(Decimal(consumer),) * n, **more)


@st.composite
def scenarios(draw, *, subsidy_within_fixed: bool = False) -> Scenario:
    """Any scenario of one to eight years, every sharing rule."""
    years = draw(st.integers(min_value=1, max_value=8))
    per_year = st.lists(EURO, min_size=years, max_size=years)
    schools = draw(st.lists(st.integers(1, 20_000), min_size=years, max_size=years))
    pupils = [n * draw(st.integers(1, 1500)) for n in schools]
    inv_fixed, op_fixed = draw(per_year), draw(per_year)
    if subsidy_within_fixed:
        subsidy = [min(s, a + b) for s, a, b in zip(draw(per_year), inv_fixed, op_fixed,
                                                     strict=True)]
    else:
        subsidy = draw(per_year)
    return Scenario(
        start_year=2018, schools=tuple(schools), pupils=tuple(pupils),
        investment_fixed=tuple(inv_fixed),
        investment_per_school=tuple(draw(st.lists(PRICE, min_size=years, max_size=years))),
        operation_fixed=tuple(op_fixed),
        operation_per_school=tuple(draw(st.lists(PRICE, min_size=years, max_size=years))),
        subsidy=tuple(subsidy),
        consumer_price=tuple(draw(st.lists(PRICE, min_size=years, max_size=years))),
        local_urban=draw(PRICE), local_rural=draw(PRICE),
        rural_share=Decimal(draw(st.integers(0, 100))) / 100,
        sharing=draw(st.sampled_from(SHARING)),
        target_tariff=draw(st.one_of(st.none(), PRICE)),
    )


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_members_bills_and_subsidy_recover_the_costs_to_the_cent_every_year(s: Scenario) -> None:
    for y in tariffs(s):
        assert (y.tariff_per_school * y.members + y.subsidy).quantize(CENT) == y.cost
        assert (y.tariff_per_pupil * y.pupils + y.subsidy).quantize(CENT) == y.cost
        bills = y.per_school_part * y.members + y.per_pupil_part * y.pupils
        assert (bills + y.subsidy).quantize(CENT) == y.cost
        assert y.per_school_part >= 0 and y.per_pupil_part >= 0
        assert 0 <= y.subsidy <= y.cost


@settings(max_examples=100, deadline=None)
@given(scenarios(subsidy_within_fixed=True), st.integers(1, 20_000))
def test_with_fixed_costs_the_tariff_falls_as_members_join(s: Scenario, more: int) -> None:
    grown = replace(s, schools=tuple(n + more for n in s.schools))
    for before, after in zip(tariffs(s), tariffs(grown), strict=True):
        assert after.tariff_per_school <= before.tariff_per_school
        if before.fixed_cost > before.subsidy:
            assert after.tariff_per_school < before.tariff_per_school


@settings(max_examples=100, deadline=None)
@given(scenarios(subsidy_within_fixed=True))
def test_slower_growth_never_gives_a_lower_tariff(s: Scenario) -> None:
    runs = sensitivity(s, GROWTH_FACTORS)
    for i in range(len(s.schools)):
        ordered = [runs[f][i].tariff_per_school for f in sorted(runs)]
        assert ordered == sorted(ordered, reverse=True)


@settings(max_examples=150, deadline=None)
@given(scenarios(), PRICE)
def test_the_members_needed_are_the_fewest_that_reach_the_price(s: Scenario, price) -> None:
    needed = members_needed(s, 0, price)
    if needed is None:  # the per-member cost alone reaches the price: no membership will do
        assert s.investment_per_school[0] + s.operation_per_school[0] >= price
        if s.investment_fixed[0] + s.operation_fixed[0] > s.subsidy[0]:
            big = replace(s, schools=(10**12, *s.schools[1:]))
            assert tariffs(big)[0].tariff_per_school > price
        return
    at = replace(s, schools=(needed, *s.schools[1:]))
    assert tariffs(at)[0].tariff_per_school <= price
    if needed > 1 and s.subsidy[0] <= s.investment_fixed[0] + s.operation_fixed[0]:
        below = replace(s, schools=(needed - 1, *s.schools[1:]))
        assert tariffs(below)[0].tariff_per_school > price


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_the_flat_tariff_recovers_the_period_and_the_working_capital_is_the_deepest_gap(
        s: Scenario) -> None:
    years = tariffs(s)
    cash = financing(years)
    assert cents(cash.positions[-1]) == 0  # the flat tariff recovers the period, to the cent
    assert cash.flat_tariff == summarise(s, years).average_tariff_per_school
    assert list(cash.working_capital) == sorted(cash.working_capital)  # never shrinks
    assert cash.working_capital_needed == max([Decimal(0), *(-cents(p) for p in cash.positions)])
    if cash.working_capital_needed > 0:
        deepest = cash.positions[cash.deepest_year - s.start_year]
        assert -cents(deepest) == cash.working_capital_needed


def test_a_worked_example_by_hand() -> None:
    # 10,000 fixed + 10 members × 100 = 11,000; less 1,000 subsidy = 10,000 over 10 schools.
    y = tariffs(scenario(subsidy=("1000",)))[0]
    assert (y.cost, y.subsidy, y.tariff_per_school) == (11000, 1000, 1000)
    assert y.tariff_per_pupil == 5
    assert y.members_for_target == 12  # 100 + 9,000 / n <= 900 from n = 11.25 on


def test_mixed_sharing_charges_the_supplier_price_per_school_and_shared_costs_per_pupil() -> None:
    y = tariffs(scenario(sharing=MIXED))[0]
    assert y.per_school_part == 100
    assert y.per_pupil_part == 5  # 10,000 over 2,000 pupils
    assert y.bill(400) == 2100 and y.bill(100) == 600
    assert tariffs(scenario(sharing=PER_PUPIL))[0].bill(0) == 0


def test_a_subsidy_beyond_the_costs_is_not_spent() -> None:
    y = tariffs(scenario(subsidy=("50000",)))[0]
    assert y.subsidy == y.cost == 11000
    assert y.tariff_per_school == 0


def test_per_member_costs_above_the_consumer_price_can_never_break_even() -> None:
    assert members_needed(scenario(per_school=("1000",)), 0, Decimal(900)) is None
    assert members_needed(scenario(per_school=("900",)), 0, Decimal(900)) is None
    assert members_needed(scenario(fixed=("0",), per_school=("900",)), 0, Decimal(900)) == 1


def test_the_summary_states_the_period() -> None:
    s = scenario(schools=(10, 100), pupils=(2000, 20000), fixed=("10000", "10000"),
                 per_school=("100", "100"), subsidy=("0", "0"), target_tariff=Decimal(500))
    years = tariffs(s)
    summary = summarise(s, years)
    assert summary.cost == 11000 + 20000
    assert summary.ratio == Decimal(1100) / Decimal(200)
    assert summary.above_target_years == (2018,)


def test_the_financing_worked_by_hand() -> None:
    # Costs 11,000 (10 members) then 20,000 (100 members): 31,000 over 110 member-years.
    s = scenario(schools=(10, 100), pupils=(2000, 20000), fixed=("10000", "10000"),
                 per_school=("100", "100"), subsidy=("0", "0"))
    cash = financing(tariffs(s))
    assert cents(cash.flat_tariff) == Decimal("281.82")  # 31,000 / 110
    assert cents(cash.positions[0]) == Decimal("-8181.82")  # 10 × 281.82 − 11,000
    assert cents(cash.positions[1]) == 0
    assert cash.working_capital_needed == Decimal("8181.82")
    assert (cash.deepest_year, cash.repaid_year) == (2018, 2019)
    assert flat_tariff(tariffs(s)) == cash.flat_tariff


def test_no_working_capital_when_members_pay_ahead() -> None:
    s = scenario(schools=(100, 10), pupils=(20000, 2000), fixed=("10000", "10000"),
                 per_school=("100", "100"), subsidy=("0", "0"))
    cash = financing(tariffs(s))
    assert cash.working_capital_needed == 0
    assert (cash.deepest_year, cash.repaid_year) == (None, None)


def test_the_sensitivity_table_moves_membership_and_investment_by_a_fifth() -> None:
    s = scenario(schools=(10, 100), pupils=(2000, 20000), fixed=("10000", "10000"),
                 per_school=("100", "100"), subsidy=("0", "0"))
    cases = sensitivity_table(s)
    assert [(c.key, c.factor) for c in cases] == [
        ("as_planned", 1), ("membership", Decimal("0.8")), ("membership", Decimal("1.2")),
        ("investment", Decimal("0.8")), ("investment", Decimal("1.2"))]
    # The investment here is the fixed 10,000 a year: 8,000 at −20 %, members 8 and 80 at −20 %.
    assert cases[3].first_tariff == (8000 + 10 * 100) / Decimal(10)
    assert cases[1].first_tariff == (10000 + 8 * 100) / Decimal(8)
    assert cases[4].working_capital_needed > cases[0].working_capital_needed
