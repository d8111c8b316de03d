"""The incident form: what happened, how bad, who was told, what was done, lessons. It says
never to name a pupil, and refuses a national number in its free text (saying why)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ictmonitor.incidents.models import Incident, Kind, Severity, Told
from ictmonitor.incidents.services import TEXT_MAX, IncidentInput, national_number_problem

NO_NAMES = _("Never write a pupil's name or national number: describe people by their role "
             "(a pupil of the 2nd year, a teacher, a parent).")


def refuse_national_number(value: str) -> None:
    """Refuse text holding a national number, saying why (core.national_numbers decides)."""
    problem = national_number_problem(value)
    if problem:
        raise forms.ValidationError(problem, code="national-number")


class DateInput(forms.DateInput):
    """The browser's date picker, writing YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class IncidentForm(forms.Form):
    """One incident, new or corrected."""

    occurred_on = forms.DateField(label=_("Date of the incident"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Kind.choices])
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "—"), *Severity.choices])
    told = forms.MultipleChoiceField(label=_("Who was told"), choices=Told.choices,
                                     required=False, widget=forms.CheckboxSelectMultiple)
    actions = forms.CharField(label=_("What was done"), max_length=TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              validators=[refuse_national_number], help_text=NO_NAMES)
    lessons = forms.CharField(label=_("Lessons"), max_length=TEXT_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              validators=[refuse_national_number], help_text=NO_NAMES)

    def clean_occurred_on(self) -> Any:
        """Not a day still to come."""
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of the incident cannot lie in the future."))
        return day

    def given(self) -> IncidentInput:
        """The form's values for services.record_incident / update_incident."""
        data = self.cleaned_data
        return IncidentInput(occurred_on=data["occurred_on"], kind=data["kind"],
                             severity=data["severity"], told=list(data["told"]),
                             actions=data["actions"], lessons=data["lessons"])

    @classmethod
    def of(cls, incident: Incident) -> IncidentForm:
        """The form filled with an incident's values."""
        return cls(initial={name: getattr(incident, name) for name in (
            "occurred_on", "kind", "severity", "told", "actions", "lessons")})
