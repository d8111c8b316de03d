"""The simulator's inputs as a form: general figures, one column of fields per year, a name."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ictmonitor.procurement.model import MIXED, PER_PUPIL, PER_SCHOOL, Scenario
from ictmonitor.procurement.scenarios import ScenarioError, parse, text_in

MAX_YEARS = 15
MONEY: dict[str, Any] = {"min_value": 0, "max_digits": 14, "decimal_places": 2}
PER_YEAR: dict[str, Any] = {
    "schools": _("Member schools"),
    "pupils": _("Pupils at member schools"),
    "investment_fixed": _("Investment, fixed (€)"),
    "investment_per_school": _("Investment per member school (€)"),
    "operation_fixed": _("Operation, fixed (€)"),
    "operation_per_school": _("Operation per member school (€)"),
    "subsidy": _("Subsidy (€)"),
    "consumer_price": _("Consumer connection per school (€)"),
}
COUNTS = ("schools", "pupils")
SHARING_CHOICES = [
    (PER_SCHOOL, _("Per school: every member pays the same")),
    (PER_PUPIL, _("Per pupil: in proportion to a school's pupils")),
    (MIXED, _("Mixed: the supplier's price per school, shared costs per pupil")),
]


class TariffForm(forms.Form):
    """A scenario's inputs; `scenario()` gives the Scenario they make, or None when invalid."""

    years = forms.IntegerField(label=_("Number of years"), min_value=1, max_value=MAX_YEARS)
    start_year = forms.IntegerField(label=_("First year"), min_value=1990, max_value=2100)
    sharing = forms.ChoiceField(label=_("How members share the costs"), choices=SHARING_CHOICES)
    local_urban = forms.DecimalField(label=_("Local connection in town, per school per year (€)"),
                                     **MONEY)
    local_rural = forms.DecimalField(
        label=_("Local connection in the countryside, per school per year (€)"), **MONEY)
    rural_share = forms.DecimalField(label=_("Rural members (%)"), min_value=0, max_value=100,
                                     max_digits=5, decimal_places=1)
    target_tariff = forms.DecimalField(
        label=_("Target tariff per school per year (€)"), required=False, **MONEY,
        help_text=_("Empty: the consumer connection's price is the target."))
    assumptions = forms.CharField(label=_("Assumptions"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("One per line; they go into the PDF."))
    name = forms.CharField(label=_("Name"), required=False, max_length=100,
                           help_text=_("Saving under a name you used before replaces it."))

    def __init__(self, data: Mapping[str, Any] | None = None, *,
                 initial: dict[str, Any] | None = None) -> None:
        initial = initial or {}
        count = _years_in(data, initial)
        super().__init__(_filled(data, count) if data is not None else None, initial=initial)
        self.count = count
        start = _int(self.data.get("start_year")) if self.is_bound else None
        self.first_year = start or initial.get("start_year") or 0
        for key, label in PER_YEAR.items():
            for n in range(1, count + 1):
                year = self.first_year + n - 1
                field: forms.Field = (
                    forms.IntegerField(min_value=1, max_value=10_000_000) if key in COUNTS
                    else forms.DecimalField(**MONEY))
                field.label = f"{label} {year}"
                self.fields[f"{key}_{n}"] = field

    def calendar_years(self) -> list[int]:
        """The calendar years of the columns."""
        return [self.first_year + n for n in range(self.count)]

    def year_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each per-year input with its fields, one per year, for the grid."""
        return [(str(label), [self[f"{key}_{n}"] for n in range(1, self.count + 1)])
                for key, label in PER_YEAR.items()]

    def scenario(self) -> Scenario | None:
        """The scenario the inputs make, or None (with the form's errors) when they make none."""
        if not self.is_valid():
            return None
        try:
            return parse(self.to_data(), str(_("the form")))
        except ScenarioError as error:
            self.add_error(None, f"{error.key}: {error.problem}" if error.key else error.problem)
            return None

    def to_data(self) -> dict[str, Any]:
        """The cleaned inputs in the scenario file format."""
        c = self.cleaned_data
        per_year = {key: [c[f"{key}_{n}"] for n in range(1, self.count + 1)] for key in PER_YEAR}
        lines = [line.strip() for line in c.get("assumptions", "").splitlines() if line.strip()]
        data: dict[str, Any] = {
            "name": c.get("name") or "", "title": c.get("name") or "",
            "start_year": c["start_year"],
            "membership": {"schools": per_year["schools"], "pupils": per_year["pupils"]},
            "costs": {part: {kind: per_year[f"{part}_{kind}"] for kind in ("fixed", "per_school")}
                      for part in ("investment", "operation")},
            "sharing": c["sharing"],
            "local_connection": {"urban": c["local_urban"], "rural": c["local_rural"],
                                 "rural_share": c["rural_share"] / 100},
            "subsidy": per_year["subsidy"], "consumer_price": per_year["consumer_price"],
            "assumptions": lines,
        }
        if c.get("target_tariff") is not None:
            data["target_tariff"] = c["target_tariff"]
        return data


def initial_from(scenario: Scenario, language: str, name: str = "") -> dict[str, Any]:
    """The form's initial values for a scenario."""
    s = scenario
    values: dict[str, Any] = {
        "years": len(s.schools), "start_year": s.start_year, "sharing": s.sharing,
        "local_urban": s.local_urban, "local_rural": s.local_rural,
        "rural_share": _plain(s.rural_share * 100), "target_tariff": s.target_tariff,
        "assumptions": "\n".join(text_in(s.assumptions, language) or ()),
        "name": name,
    }
    columns = {"schools": s.schools, "pupils": s.pupils, "subsidy": s.subsidy,
               "consumer_price": s.consumer_price}
    for part in ("investment", "operation"):
        for kind in ("fixed", "per_school"):
            columns[f"{part}_{kind}"] = getattr(s, f"{part}_{kind}")
    for key, values_per_year in columns.items():
        for n, value in enumerate(values_per_year, 1):
            values[f"{key}_{n}"] = value
    return values


def _years_in(data: Mapping[str, Any] | None, initial: dict[str, Any]) -> int:
    """How many year columns: as asked (1 to MAX_YEARS), else as the initial scenario has."""
    asked = _int(data.get("years")) if data is not None else None
    return min(max(asked or initial.get("years") or 1, 1), MAX_YEARS)


def _filled(data: Mapping[str, Any], count: int) -> QueryDict:
    """The data with every year column present: a new year repeats the year before it."""
    filled = QueryDict(mutable=True)
    for key in data:
        filled.setlist(key, data.getlist(key) if hasattr(data, "getlist") else [data[key]])
    for key in PER_YEAR:
        for n in range(2, count + 1):
            if f"{key}_{n}" not in filled and f"{key}_{n - 1}" in filled:
                filled.setlist(f"{key}_{n}", filled.getlist(f"{key}_{n - 1}"))
    return filled


def _plain(value: Decimal) -> Decimal | int:
    """25 rather than 25.00 or 2.5E+1 in an input."""
    return int(value) if value == value.to_integral_value() else value.normalize()


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None

