"""The filter form of a report page: breakdown, date, year, split date and the public view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ictmonitor.procurement.scenarios import DEFAULT, shipped_names
from ictmonitor.reports.definitions import Parameters, Report
from ictmonitor.reports.engine import parse_by
from ictmonitor.reports.formatting import capitalised, dimension_name

OPTIONS = ("at", "year", "split")


class DateInput(forms.DateInput):
    """The browser's date picker, writing YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ReportForm(forms.Form):
    """What to show of one report; fields appear only for the options the report uses."""

    by = forms.MultipleChoiceField(
        label=_("Break down by"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Without a breakdown the report gives its totals only."),
    )
    at = forms.DateField(
        label=_("On date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        help_text=_("What was active or valid on this date; empty means today."),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("Empty means the latest year with figures."),
    )
    split = forms.DateField(
        label=_("Split date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        help_text=_("Compares the periods before and after this date."),
    )
    public = forms.BooleanField(
        label=_("Show what the public sees"),
        required=False,
        help_text=_("Applies disclosure control, as on the published pages."),
    )

    def __init__(self, report: Report, query: Mapping[str, Any], *, language: str,
                 public_choice: bool = True, releases: Sequence[date] | None = None) -> None:
        self.report, self.language = report, language
        names = ["by", *(o for o in OPTIONS if o in report.uses)]
        names += ["scenario"] if "scenario" in report.uses else []
        names += ["public"] if public_choice else []
        given = any(name in query for name in names)  # else: the report's usual breakdown
        super().__init__(_flatten_by(query) if given else None,
                         initial={"by": list(report.typical_by), "at": timezone.localdate()})
        ordered = [*report.typical_by, *(d for d in report.dimensions
                                         if d not in report.typical_by)]
        self.fields["by"].choices = [  # type: ignore[attr-defined]
            (d, capitalised(dimension_name(d, language))) for d in ordered]
        for option in OPTIONS:
            if option not in report.uses:
                del self.fields[option]
        if not public_choice:
            del self.fields["public"]
        if "scenario" in report.uses:
            self.fields["scenario"] = _scenario_field()
        if releases is not None and "at" in self.fields:
            self.fields["at"] = _release_field(releases)
            self.initial["at"] = releases[-1] if releases else None

    def parameters(self, *, public: bool | None = None) -> Parameters | None:
        """The Parameters asked for (the defaults when nothing was), or None when invalid."""
        if not self.is_bound:
            values = dict(self.initial)
        elif self.is_valid():
            values = self.cleaned_data
        else:
            return None
        # The breakdown follows the checkboxes' order, whatever order the URL had.
        chosen = set(values.get("by") or ())
        by = tuple(d for d, _label in self.fields["by"].choices  # type: ignore[attr-defined]
                   if d in chosen)
        return Parameters(
            by=by,
            at=values.get("at") or self.initial.get("at") or timezone.localdate(),
            year=values.get("year"),
            split=values.get("split"),
            public=bool(values.get("public")) if public is None else public,
            language=self.language,
            options={"scenario": values["scenario"]} if values.get("scenario") else {},
        )


class ReleaseForm(forms.Form):
    """The reference date an analyst publishes as a release."""

    on = forms.DateField(label=_("Reference date"), input_formats=["%Y-%m-%d"],
                         widget=DateInput(),
                         help_text=_("The public pages will serve the figures of this date."))


class PackForm(forms.Form):
    """The date of the answer pack an analyst asks for, exact or as published."""

    at = forms.DateField(label=_("Date"), input_formats=["%Y-%m-%d"], widget=DateInput(),
                         help_text=_("Every report on this date, in one PDF."))
    public = forms.BooleanField(label=_("As the public sees it (disclosure control)"),
                                required=False)


def _scenario_field() -> forms.ChoiceField:
    """The shipped tariff scenario a model report is computed from (files: the command line)."""
    return forms.ChoiceField(
        label=_("Scenario"), required=False, initial=DEFAULT,
        choices=[("", _("the default (%(name)s)") % {"name": DEFAULT}),
                 *((name, name) for name in shipped_names())],
        help_text=_("The scenario's assumptions are listed under the figures."))


def _release_field(releases: Sequence[date]) -> forms.TypedChoiceField:
    """The date of a public page: one of the releases, newest first; nothing else."""
    shown = ", ".join(d.isoformat() for d in reversed(releases)) or _("none yet")
    return forms.TypedChoiceField(
        label=_("Reference date"),
        choices=[(d.isoformat(), d.isoformat()) for d in reversed(releases)],
        coerce=date.fromisoformat,
        required=False,
        empty_value=None,
        help_text=_("The figures as published on this date."),
        error_messages={"invalid_choice": _(
            "That is not a published reference date; the published ones are: %(dates)s.")
            % {"dates": shown}},
    )


def query_of(report: Report, parameters: Parameters, *, public_choice: bool = True) -> str:
    """The query string that asks for these parameters again (for download links)."""
    query = QueryDict(mutable=True)
    query.setlist("by", list(parameters.by) or [""])  # `by=`: totals only, not the default
    if "at" in report.uses:
        query["at"] = parameters.at.isoformat()
    if parameters.year is not None:
        query["year"] = str(parameters.year)
    if parameters.split is not None:
        query["split"] = parameters.split.isoformat()
    if public_choice and parameters.public:
        query["public"] = "on"
    if parameters.options.get("scenario"):
        query["scenario"] = parameters.options["scenario"]
    return query.urlencode()


def _flatten_by(query: Mapping[str, Any]) -> QueryDict:
    """Accept `by=level,province` as the command line writes it, besides repeated `by=`."""
    data = QueryDict(mutable=True)
    for key in query:
        values = query.getlist(key) if hasattr(query, "getlist") else [query[key]]
        if key == "by":
            values = [part for value in values for part in parse_by(value)]
        data.setlist(key, values)
    return data
