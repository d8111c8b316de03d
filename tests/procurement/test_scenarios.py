"""Scenario files: the shipped ones load and tell the seed's story; bad files name file and key."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from ictmonitor.procurement.model import cents, summarise, tariffs
from ictmonitor.procurement.scenarios import (
    SHIPPED,
    ScenarioError,
    load_file,
    load_scenario,
    parse,
    shipped_names,
    to_data,
)


def sivon_data() -> dict[str, Any]:
    """The shipped sivon-2018 file as data."""
    return yaml.safe_load((SHIPPED / "sivon-2018.yaml").read_text(encoding="utf-8"))


def test_sivon_2018_costs_55_million_over_five_years() -> None:
    s = load_scenario("sivon-2018")
    assert s.years == (2018, 2019, 2020, 2021, 2022)
    assert summarise(s, tariffs(s)).cost == 55_000_000
    assert sum(s.subsidy) == 0


def test_sivon_2018_tells_the_seeds_story() -> None:
    s = load_scenario()  # the default
    years = tariffs(s)
    first, second, fifth = (y.tariff_per_school for y in (years[0], years[1], years[4]))
    assert first > 5 * fifth and second > 2 * fifth  # substantially higher at the start
    consumer = s.consumer_price[0]
    assert all(y.tariff_per_school + s.local_average > consumer for y in years)
    assert years[4].break_even_members is None  # above a consumer connection for good
    assert s.local_rural > s.local_urban


def test_the_start_subsidy_scenario_keeps_the_first_tariff_at_3000() -> None:
    s = load_scenario("sivon-2018-start-subsidy")
    assert sum(s.subsidy) == 15_500_000 and s.target_tariff is None
    assert [cents(y.tariff_per_school) for y in tariffs(s)][:3] == [3000, 3000, 3000]
    assert "sivon-2018" in shipped_names()


def test_a_scenario_written_back_as_data_reads_the_same() -> None:
    s = load_scenario("sivon-2018")
    again = parse(to_data(s), "again")
    assert again == s
    assert again.assumptions == s.assumptions and again.title == s.title


def test_toml_files_work_too(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text('start_year = 2020\nconsumer_price = 900\nsharing = "mixed"\n'
                    "[membership]\nschools = [10, 20]\npupils = [2000, 4000]\n"
                    "[costs.operation]\nfixed = 10000\nper_school = [100, 100.50]\n",
                    encoding="utf-8")
    s = load_file(path)
    assert s.name == "small" and s.operation_per_school[1] == Decimal("100.5")
    assert s.investment_fixed == (0, 0)


@pytest.mark.parametrize(("change", "key", "words"), [
    (lambda d: d["costs"]["operation"].update(fixed=[1, 2]), "costs.operation.fixed",
     "must have 5 values"),
    (lambda d: d["membership"]["schools"].__setitem__(2, 0), "membership.schools[2]",
     "at least 1"),
    (lambda d: d["membership"].pop("pupils"), "membership.pupils", "missing"),
    (lambda d: d.update(sharing="by_size"), "sharing", "per_school"),
    (lambda d: d["local_connection"].update(rural_share=1.5), "local_connection.rural_share",
     "fraction"),
    (lambda d: d.update(subsidy=[0, 0, "lots", 0, 0]), "subsidy[2]", "must be a number"),
    (lambda d: d.update(consumer_price=-1), "consumer_price", "from 0"),
    (lambda d: d.update(target_tariff=3000.555), "target_tariff", "two decimals"),
    (lambda d: d["costs"].update(operatoin={}), "costs.operatoin", "unknown key"),
    (lambda d: d.update(start_year="2018"), "start_year", "year"),
    (lambda d: d.update(costs=[1]), "costs", "mapping"),
])
def test_a_bad_value_is_refused_naming_the_file_and_the_key(change, key, words) -> None:
    data = copy.deepcopy(sivon_data())
    change(data)
    with pytest.raises(ScenarioError) as refused:
        parse(data, "mine.yaml")
    assert refused.value.key == key
    assert str(refused.value).startswith(f"mine.yaml: {key}: ")
    assert words in str(refused.value)


def test_a_broken_yaml_file_says_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("start_year: 2018\nmembership: [schools: 1\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken\.yaml: not valid YAML: .*line \d+"):
        load_file(path)


def test_a_broken_toml_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("start_year = \n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken\.toml: not valid TOML"):
        load_file(path)


def test_an_unknown_scenario_names_the_shipped_ones(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="sivon-2018"):
        load_scenario("sivon-2019")
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(str(tmp_path / "missing.yaml"))
