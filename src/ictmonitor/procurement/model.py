"""The cooperative tariff model: pure functions on a Scenario, in exact Decimal arithmetic.

Each year the cooperative's costs (fixed costs plus a cost per member school) are recovered from
its members, less the year's subsidy: members' bills + subsidy = costs, to the cent. How the
bills are split follows the scenario's sharing rule; the average tariff per school and per pupil
are the same under every rule. A school's own local connection is not in the tariff: each school
pays it itself, which is why rural schools pay more in total.
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
    subsidy_needed: Decimal
    members_for_target: int | None
    break_even_members: int | None

    def bill(self, pupils: int) -> Decimal:
        """What one member school with this many pupils pays this year (without local line)."""
        return self.per_school_part + self.per_pupil_part * pupils


def cents(amount: Decimal) -> Decimal:
    """An amount rounded to the cent, as people read it."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


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
            subsidy_needed=subsidy_needed(cost, members, s.target(i)),
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


def subsidy_needed(cost: Decimal, members: int, target: Decimal) -> Decimal:
    """The least subsidy (in whole cents) that keeps the average tariff at or under the target."""
    return max(ZERO, cost - target * members).quantize(CENT, rounding=ROUND_CEILING)


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
    subsidy_needed: Decimal
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
            subsidy_needed=sum((y.subsidy_needed for y in years), ZERO),
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
