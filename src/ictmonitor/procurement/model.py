"""The cooperative tariff model: pure functions on a Scenario, in exact Decimal arithmetic.

Each year the cooperative's costs (fixed costs plus a cost per member school) are recovered from
its members, less the year's subsidy: members' bills + subsidy = costs, to the cent. How the
bills are split follows the scenario's sharing rule; the average tariff per school and per pupil
are the same under every rule. A school's own local connection is not in the tariff: each school
pays it itself, which is why rural schools pay more in total.

Financing: a tariff that falls as members join makes the first members pay most. The flat
tariff (the one price per member-year that recovers the whole period) is fair to early and late
members alike, but then income trails costs at the start: the cooperative's cash position goes
negative and the deepest point is the working capital someone has to pre-finance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
ZERO = Decimal(0)
PER_SCHOOL, PER_PUPIL, MIXED = "per_school", "per_pupil", "mixed"
SHARING = (PER_SCHOOL, PER_PUPIL, MIXED)
GROWTH_FACTORS = (Decimal("0.5"), Decimal("0.75"), Decimal(1), Decimal("1.25"))
SWING = Decimal("0.2")  # the sensitivity table: membership and investment ±20 %
PRECISION = 40  # digits: a tariff × members stays exact to far below the cent


@dataclass(frozen=True)
class Scenario:
    """The inputs of a tariff calculation; every tuple holds one value per year."""

    start_year: int
    schools: tuple[int, ...]
    pupils: tuple[int, ...]
    investment_fixed: tuple[Decimal, ...]
    investment_per_school: tuple[Decimal, ...]
    operation_fixed: tuple[Decimal, ...]
    operation_per_school: tuple[Decimal, ...]
    subsidy: tuple[Decimal, ...]
    consumer_price: tuple[Decimal, ...]
    local_urban: Decimal = ZERO
    local_rural: Decimal = ZERO
    rural_share: Decimal = ZERO
    sharing: str = PER_SCHOOL
    target_tariff: Decimal | None = None
    name: str = ""
    title: dict[str, str] = field(default_factory=dict, compare=False)
    assumptions: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @property
    def years(self) -> tuple[int, ...]:
        """The calendar years the scenario covers."""
        return tuple(self.start_year + i for i in range(len(self.schools)))

    @property
    def local_average(self) -> Decimal:
        """A member's average local connection cost per year, urban and rural mixed."""
        return self.local_urban * (1 - self.rural_share) + self.local_rural * self.rural_share

    def target(self, i: int) -> Decimal:
        """The tariff to stay under in year i: the target when given, else the consumer price."""
        return self.target_tariff if self.target_tariff is not None else self.consumer_price[i]


@dataclass(frozen=True)
class YearTariff:
    """One year of the model: costs, subsidy, the tariffs and what they compare with."""

    year: int
    members: int
    pupils: int
    fixed_cost: Decimal
    member_cost: Decimal
    cost: Decimal
    subsidy: Decimal
    recovered: Decimal
    per_school_part: Decimal
    per_pupil_part: Decimal
    tariff_per_school: Decimal
    tariff_per_pupil: Decimal
    total_urban: Decimal
    total_rural: Decimal
    consumer_price: Decimal
    members_for_target: int | None
    break_even_members: int | None

    def bill(self, pupils: int) -> Decimal:
        """What one member school with this many pupils pays this year (without local line)."""
        return self.per_school_part + self.per_pupil_part * pupils


def cents(amount: Decimal) -> Decimal:
    """An amount rounded to the cent, as people read it (never `-0.00`)."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)


def tariffs(scenario: Scenario) -> list[YearTariff]:
    """The scenario's tariff for every year."""
    return [year_tariff(scenario, i) for i in range(len(scenario.schools))]


def year_tariff(scenario: Scenario, i: int) -> YearTariff:
    """The tariff of year number i (from 0)."""
    s = scenario
    members, pupils = s.schools[i], s.pupils[i]
    with localcontext() as ctx:
        ctx.prec = PRECISION
        fixed = s.investment_fixed[i] + s.operation_fixed[i]
        per_member = member_cost_per_school(s, i)
        member_cost = per_member * members
        cost = fixed + member_cost
        subsidy = min(s.subsidy[i], cost)  # a subsidy beyond the costs is not spent
        recovered = cost - subsidy
        school_part, pupil_part = _split(s.sharing, fixed, member_cost, subsidy, members, pupils)
        tariff = recovered / members
        return YearTariff(
            year=s.start_year + i, members=members, pupils=pupils,
            fixed_cost=fixed, member_cost=member_cost, cost=cost, subsidy=subsidy,
            recovered=recovered, per_school_part=school_part, per_pupil_part=pupil_part,
            tariff_per_school=tariff, tariff_per_pupil=recovered / pupils,
            total_urban=tariff + s.local_urban, total_rural=tariff + s.local_rural,
            consumer_price=s.consumer_price[i],
            members_for_target=members_needed(s, i, s.target(i)),
            break_even_members=members_needed(s, i, s.consumer_price[i] - s.local_average),
        )


def member_cost_per_school(scenario: Scenario, i: int) -> Decimal:
    """What one more member costs the cooperative in year i (investment and operation)."""
    return scenario.investment_per_school[i] + scenario.operation_per_school[i]


def _split(sharing: str, fixed: Decimal, member_cost: Decimal, subsidy: Decimal,
           members: int, pupils: int) -> tuple[Decimal, Decimal]:
    """The bill's part per school and rate per pupil; the subsidy lowers shared costs first."""
    if sharing == PER_PUPIL:
        return ZERO, (fixed + member_cost - subsidy) / pupils
    if sharing == MIXED:
        shared = max(ZERO, fixed - subsidy)
        own = member_cost - max(ZERO, subsidy - fixed)
        return own / members, shared / pupils
    return (fixed + member_cost - subsidy) / members, ZERO


def members_needed(scenario: Scenario, i: int, price: Decimal) -> int | None:
    """The fewest members from which on the tariff of year i stays at or under the price."""
    # The tariff is v + (F − G)/n for n members (per-member cost v, fixed costs F, subsidy G):
    # it tends to v as members join, so no membership reaches a price that v already reaches.
    v = member_cost_per_school(scenario, i)
    net_fixed = scenario.investment_fixed[i] + scenario.operation_fixed[i] - scenario.subsidy[i]
    if v > price:
        return None
    if net_fixed <= 0:
        return 1
    if v == price:
        return None
    with localcontext() as ctx:
        ctx.prec = PRECISION
        needed = (net_fixed / (price - v)).to_integral_value(rounding=ROUND_CEILING)
    return max(1, int(needed))


def scaled(scenario: Scenario, factor: Decimal) -> Scenario:
    """The scenario with membership (schools and pupils) growing by a factor of the forecast."""
    return replace(scenario, schools=_scale(scenario.schools, factor),
                   pupils=_scale(scenario.pupils, factor))


def _scale(counts: Iterable[int], factor: Decimal) -> tuple[int, ...]:
    return tuple(max(1, int((n * factor).to_integral_value(ROUND_HALF_UP))) for n in counts)


def sensitivity(scenario: Scenario, factors: Sequence[Decimal] = GROWTH_FACTORS
                ) -> dict[Decimal, list[YearTariff]]:
    """The yearly tariffs under slower and faster membership growth (×0.5 … ×1.25)."""
    return {factor: tariffs(scaled(scenario, factor)) for factor in factors}


@dataclass(frozen=True)
class Summary:
    """What the whole period says: totals, the first and last tariff, and the seed's questions."""

    cost: Decimal
    subsidy: Decimal
    local_costs: Decimal
    first_tariff: Decimal
    last_tariff: Decimal
    ratio: Decimal
    above_consumer_years: tuple[int, ...]
    above_target_years: tuple[int, ...]
    average_tariff_per_school: Decimal
    average_tariff_per_pupil: Decimal


def summarise(scenario: Scenario, years: Sequence[YearTariff]) -> Summary:
    """The period's totals and findings from its yearly tariffs."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        recovered = sum((y.recovered for y in years), ZERO)
        first, last = years[0].tariff_per_school, years[-1].tariff_per_school
        return Summary(
            cost=sum((y.cost for y in years), ZERO),
            subsidy=sum((y.subsidy for y in years), ZERO),
            local_costs=sum((scenario.local_average * y.members for y in years), ZERO),
            first_tariff=first, last_tariff=last,
            ratio=first / last if last else ZERO,
            above_consumer_years=tuple(
                y.year for y in years
                if y.tariff_per_school + scenario.local_average > y.consumer_price),
            above_target_years=tuple(
                y.year for i, y in enumerate(years) if y.tariff_per_school > scenario.target(i)),
            average_tariff_per_school=recovered / sum(y.members for y in years),
            average_tariff_per_pupil=recovered / sum(y.pupils for y in years),
        )


@dataclass(frozen=True)
class Financing:
    """The cooperative's cash if every member paid the one flat tariff every year.

    `positions[i]` is its cumulative income (members' flat tariffs and subsidy) less its
    cumulative costs at the end of year i; `working_capital[i]` the deepest shortfall up to then
    in cents (what had to be pre-financed by that year); `working_capital_needed` that of the
    period.
    """

    flat_tariff: Decimal
    positions: tuple[Decimal, ...]
    working_capital: tuple[Decimal, ...]
    working_capital_needed: Decimal
    deepest_year: int | None
    repaid_year: int | None


def flat_tariff(years: Sequence[YearTariff]) -> Decimal:
    """The one tariff per member-year that recovers the period's costs less its subsidy."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return sum((y.recovered for y in years), ZERO) / sum(y.members for y in years)


def financing(years: Sequence[YearTariff]) -> Financing:
    """The cash position year by year at the flat tariff, and the working capital it needs."""
    flat = flat_tariff(years)
    positions: list[Decimal] = []
    capital: list[Decimal] = []
    at = 0  # the year of the deepest shortfall
    with localcontext() as ctx:
        ctx.prec = PRECISION
        position = ZERO
        for i, y in enumerate(years):
            position += flat * y.members - y.recovered
            positions.append(position)
            shortfall = max(ZERO, -cents(position))  # in cents: no shortfall of 10⁻³⁶ €
            if capital and shortfall <= capital[-1]:
                capital.append(capital[-1])
            else:
                capital.append(shortfall)
                at = i
    needed = capital[-1]
    deepest = repaid = None
    if needed > 0:
        deepest = years[at].year
        # At the flat tariff the period ends at zero: "repaid" is the first year the cash is
        # back to zero after the deepest point (to the cent, as the rounding of the tariff goes).
        repaid = next((y.year for y, p in zip(years[at:], positions[at:], strict=True)
                       if cents(p) >= 0), None)
    return Financing(flat_tariff=flat, positions=tuple(positions), working_capital=tuple(capital),
                     working_capital_needed=needed, deepest_year=deepest, repaid_year=repaid)


def with_investment(scenario: Scenario, factor: Decimal) -> Scenario:
    """The scenario with its investment (fixed and per member) at a factor of the plan."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return replace(scenario,
                       investment_fixed=tuple(v * factor for v in scenario.investment_fixed),
                       investment_per_school=tuple(v * factor
                                                   for v in scenario.investment_per_school))


@dataclass(frozen=True)
class Case:
    """One line of the sensitivity table: what changed, and what it does to the outcome."""

    key: str
    factor: Decimal
    first_tariff: Decimal
    last_tariff: Decimal
    flat_tariff: Decimal
    working_capital_needed: Decimal


SENSITIVITY_CASES = (
    ("as_planned", ZERO),
    ("membership", -SWING), ("membership", SWING),
    ("investment", -SWING), ("investment", SWING),
)


def sensitivity_table(scenario: Scenario) -> list[Case]:
    """The outcome as planned, with membership ±20 % and with investment ±20 %."""
    cases = []
    for key, change in SENSITIVITY_CASES:
        factor = 1 + change
        varied = (scaled(scenario, factor) if key == "membership"
                  else with_investment(scenario, factor) if key == "investment" else scenario)
        years = tariffs(varied)
        money = financing(years)
        cases.append(Case(key=key, factor=factor, first_tariff=years[0].tariff_per_school,
                          last_tariff=years[-1].tariff_per_school,
                          flat_tariff=money.flat_tariff,
                          working_capital_needed=money.working_capital_needed))
    return cases
