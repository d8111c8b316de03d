"""Scenario files (YAML or TOML, see docs/scenarios.md): load, validate, and write back as data.

Every problem is a ScenarioError naming the file and the key (`costs.operation.fixed[2]`), so a
person can find it. The shipped scenarios live in scenarios/ beside this module.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ictmonitor.procurement.model import SHARING, Scenario

SHIPPED = Path(__file__).resolve().parent / "scenarios"
DEFAULT = "sivon-2018"
SUFFIXES = (".yaml", ".yml", ".toml")
MAX_YEARS = 30
MAX_AMOUNT = Decimal(10) ** 12
TOP_KEYS = {"name", "title", "start_year", "membership", "costs", "sharing", "local_connection",
            "subsidy", "consumer_price", "target_tariff", "assumptions"}
LANGUAGES = ("nl", "en")


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names the file and the key."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        super().__init__(f"{source}: {key}: {problem}" if key else f"{source}: {problem}")


def shipped_names() -> list[str]:
    """The names of the scenarios that come with ictmonitor."""
    return sorted(p.stem for p in SHIPPED.glob("*.yaml"))


def load_scenario(name_or_path: str | Path | None = None) -> Scenario:
    """A shipped scenario by name (sivon-2018 when none is given), or a scenario file."""
    wanted = str(name_or_path or DEFAULT)
    if wanted in shipped_names():
        return load_file(SHIPPED / f"{wanted}.yaml")
    path = Path(wanted)
    if path.suffix.lower() in SUFFIXES and path.is_file():
        return load_file(path)
    if path.suffix.lower() in SUFFIXES:
        raise ScenarioError(wanted, "", "no such file")
    raise ScenarioError(wanted, "", "no such scenario; shipped: "
                        f"{', '.join(shipped_names())}; or give a .yaml or .toml file")


def load_file(path: Path) -> Scenario:
    """The scenario in a YAML or TOML file."""
    source = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(source, "", f"cannot be read: {error}") from None
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ScenarioError(source, "", f"not valid TOML: {error}") from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            raise ScenarioError(source, "", f"not valid YAML: {problem}{where}") from None
    return parse(data, source, default_name=path.stem)


def parse(data: Any, source: str, *, default_name: str = "") -> Scenario:
    """A Scenario from the file's data (a mapping), checked key by key."""
    reader = _Reader(source)
    top = reader.mapping(data, "", TOP_KEYS)
    membership = reader.mapping(reader.required(top, "membership"), "membership",
                                {"schools", "pupils"})
    schools = reader.counts(reader.required(membership, "schools", "membership"),
                            "membership.schools", None)
    years = len(schools)
    pupils = reader.counts(reader.required(membership, "pupils", "membership"),
                           "membership.pupils", years)
    costs = reader.mapping(reader.required(top, "costs"), "costs", {"investment", "operation"})
    parts = {}
    for part in ("investment", "operation"):
        given = reader.mapping(costs.get(part, {}), f"costs.{part}", {"fixed", "per_school"})
        for kind in ("fixed", "per_school"):
            parts[f"{part}_{kind}"] = reader.amounts(given.get(kind, 0),
                                                     f"costs.{part}.{kind}", years)
    local = reader.mapping(top.get("local_connection", {}), "local_connection",
                           {"urban", "rural", "rural_share"})
    share = reader.amount(local.get("rural_share", 0), "local_connection.rural_share", cents=False)
    if share > 1:
        reader.fail("local_connection.rural_share", "must be a fraction from 0 to 1 (0.25 = 25%)")
    sharing = top.get("sharing", SHARING[0])
    if sharing not in SHARING:
        reader.fail("sharing", f"must be one of {', '.join(SHARING)}, not {sharing!r}")
    target = top.get("target_tariff")
    return Scenario(
        start_year=reader.year(reader.required(top, "start_year"), "start_year"),
        schools=schools, pupils=pupils, **parts,
        subsidy=reader.amounts(top.get("subsidy", 0), "subsidy", years),
        consumer_price=reader.amounts(reader.required(top, "consumer_price"), "consumer_price",
                                      years),
        local_urban=reader.amount(local.get("urban", 0), "local_connection.urban"),
        local_rural=reader.amount(local.get("rural", 0), "local_connection.rural"),
        rural_share=share, sharing=sharing,
        target_tariff=None if target is None else reader.amount(target, "target_tariff"),
        name=str(top.get("name") or default_name),
        title=reader.texts(top.get("title", ""), "title"),
        assumptions={lang: tuple(lines) for lang, lines
                     in reader.lines(top.get("assumptions", []), "assumptions").items()},
    )


def to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in the file format (JSON- and YAML-ready)."""
    s = scenario
    data: dict[str, Any] = {
        "name": s.name, "title": dict(s.title), "start_year": s.start_year,
        "membership": {"schools": list(s.schools), "pupils": list(s.pupils)},
        "costs": {part: {kind: _plain_list(getattr(s, f"{part}_{kind}"))
                         for kind in ("fixed", "per_school")}
                  for part in ("investment", "operation")},
        "sharing": s.sharing,
        "local_connection": {"urban": _plain(s.local_urban), "rural": _plain(s.local_rural),
                             "rural_share": _plain(s.rural_share)},
        "subsidy": _plain_list(s.subsidy),
        "consumer_price": _plain_list(s.consumer_price),
        "assumptions": {lang: list(lines) for lang, lines in s.assumptions.items()},
    }
    if s.target_tariff is not None:
        data["target_tariff"] = _plain(s.target_tariff)
    return data


def text_in(texts: Mapping[str, Any], language: str) -> Any:
    """A title or assumptions in a language, else in the other one."""
    for lang in (language, *LANGUAGES):
        if texts.get(lang):
            return texts[lang]
    return ""


def _plain(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)


def _plain_list(values: tuple[Decimal, ...]) -> list[int | str]:
    return [_plain(v) for v in values]


class _Reader:
    """Checks one file's values, raising ScenarioError with the file and key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> Any:
        raise ScenarioError(self.source, key, problem)

    def mapping(self, value: Any, key: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            return self.fail(key or "(top)", "must be a mapping of keys to values")
        for name in value:
            if name not in allowed:
                self.fail(f"{key}.{name}" if key else str(name),
                          f"unknown key; expected one of {', '.join(sorted(allowed))}")
        return dict(value)

    def required(self, found: dict[str, Any], name: str, key: str = "") -> Any:
        if found.get(name) is None:
            self.fail(f"{key}.{name}" if key else name, "missing")
        return found[name]

    def year(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
            self.fail(key, f"must be a year such as 2018, not {value!r}")
        return value

    def counts(self, value: Any, key: str, years: int | None) -> tuple[int, ...]:
        if not isinstance(value, list) or not value:
            self.fail(key, "must be a list with one whole number per year")
        if years is not None and len(value) != years:
            self.fail(key, f"must have {years} values, one per year; has {len(value)}")
        if len(value) > MAX_YEARS:
            self.fail(key, f"at most {MAX_YEARS} years")
        for n, count in enumerate(value):
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                self.fail(f"{key}[{n}]", f"must be a whole number of at least 1, not {count!r}")
        return tuple(value)

    def amount(self, value: Any, key: str, *, cents: bool = True) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.fail(key, f"must be a number, not {value!r}")
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            return self.fail(key, f"must be a number, not {value!r}")
        if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
            self.fail(key, f"must be a number from 0 to {MAX_AMOUNT:,}, not {value!r}")
        if cents and amount != amount.quantize(Decimal("0.01")):
            self.fail(key, f"an amount in euros has at most two decimals, not {value!r}")
        return amount

    def amounts(self, value: Any, key: str, years: int) -> tuple[Decimal, ...]:
        if not isinstance(value, list):
            return (self.amount(value, key),) * years  # one value: the same every year
        if len(value) != years:
            self.fail(key, f"must have {years} values, one per year (or one for every year); "
                           f"has {len(value)}")
        return tuple(self.amount(v, f"{key}[{n}]") for n, v in enumerate(value))

    def texts(self, value: Any, key: str) -> dict[str, str]:
        if isinstance(value, str):
            return {lang: value for lang in LANGUAGES} if value else {}
        found = self.mapping(value, key, set(LANGUAGES))
        for lang, text in found.items():
            if not isinstance(text, str):
                self.fail(f"{key}.{lang}", "must be a text")
        return found

    def lines(self, value: Any, key: str) -> dict[str, list[str]]:
        found = ({lang: value for lang in LANGUAGES} if isinstance(value, list)
                 else self.mapping(value, key, set(LANGUAGES)))
        for lang, lines in found.items():
            where = key if isinstance(value, list) else f"{key}.{lang}"
            if not isinstance(lines, list) or not all(isinstance(t, str) for t in lines):
                self.fail(where, "must be a list of texts")
        return {lang: lines for lang, lines in found.items() if lines}
