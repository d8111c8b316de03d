"""The voucher pages' forms: asking for codes, handing one out, waves, allocation, feeds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.national_numbers import national_number_kind
from ictmonitor.jobs.uploads import max_upload_mb
from ictmonitor.vouchers import pseudonyms
from ictmonitor.vouchers.models import WAVE_ORDER, Problem, State, Wave

MAX_PUPILS = 10_000


class DateInput(forms.DateInput):
    """The browser's date picker, writing YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class RequestForm(forms.Form):
    """Ask for codes for a number of pupils in a wave that takes requests."""

    wave = forms.ModelChoiceField(label=_("Wave"), queryset=Wave.objects.none(),
                                  empty_label=None, to_field_name="code")
    pupils = forms.IntegerField(
        label=_("Pupils without internet at home"), min_value=1, max_value=MAX_PUPILS,
        help_text=_("Asking again in the same wave changes the number you asked for."))

    def __init__(self, *args: Any, waves: list[Wave], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = Wave.objects.filter(  # type: ignore[attr-defined]
            pk__in=[w.pk for w in waves])


def check_pupil_ref(value: str) -> None:
    """Refuse a reference that is not pseudonymous."""
    if national_number_kind(value):
        raise forms.ValidationError(
            _("This looks like a national number. Use a pseudonymous reference, such as "
              "class and number (3A-07), never a name or a national number."),
            code="identifier")


class HandOutForm(forms.Form):
    """Give one issued code to a pupil, under a pseudonymous reference."""

    voucher = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    pupil_ref = forms.CharField(
        label=_("Pupil reference"), max_length=pseudonyms.MAX_LENGTH, strip=True,
        validators=[check_pupil_ref],
        help_text=_("A reference only your school can trace, such as 3A-07. Never a name or a "
                    "national number."))


class ProblemForm(forms.Form):
    """Note why a code was not used."""

    voucher = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    problem = forms.ChoiceField(label=_("Why not used"), required=False,
                                choices=[("", _("no problem")), *Problem.choices])


class VoucherForm(forms.Form):
    """One code, for a button (an extension request)."""

    voucher = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StateFilterForm(forms.Form):
    """Which of the school's codes to show."""

    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("all states")), *State.choices])


class WaveForm(forms.ModelForm):
    """A new wave with its dates, providers and rules."""

    class Meta:
        model = Wave
        fields = ["code", "name_nl", "name_en", "opens_on", "closes_on", "expires_on",
                  "providers", "reallocate_after_days", "extension_days", "extension_use_days",
                  "extension_on_request"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput(),
                   "expires_on": DateInput(), "providers": forms.CheckboxSelectMultiple}

    def clean(self) -> dict[str, Any]:
        """Requests close after they open."""
        data = super().clean()
        if data is None:  # Django's meaning of None: keep cleaned_data as it is
            data = self.cleaned_data
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Requests cannot close before they open."))
        return data


class ExtendWaveForm(forms.Form):
    """A wave's agreements extended wholesale: every activated code still valid to a day."""

    wave = forms.ModelChoiceField(label=_("Wave"), queryset=Wave.objects.order_by(*WAVE_ORDER),
                                  to_field_name="code")
    until = forms.DateField(label=_("Every activated code runs to"), widget=DateInput())


class WaveChoiceForm(forms.Form):
    """Which wave a department page is about; `optional` pages can also show every wave."""

    wave = forms.ModelChoiceField(label=_("Wave"), queryset=Wave.objects.order_by(*WAVE_ORDER),
                                  to_field_name="code", required=False)

    def __init__(self, *args: Any, optional: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["wave"]
        field.empty_label = _("all waves") if optional else None  # type: ignore[attr-defined]


class GapForm(WaveChoiceForm):
    """The activation-gap table: which wave, how sorted, from how many codes."""

    sort = forms.ChoiceField(required=False, choices=[(c, c) for c in (
        "rate", "issued", "activated", "handed_out", "requester")])
    desc = forms.BooleanField(required=False)
    minimum = forms.IntegerField(label=_("At least this many codes issued"), required=False,
                                 min_value=1, max_value=1_000_000)


class AllocationForm(forms.Form):
    """How many of a request's codes each provider of the wave issues."""

    request = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, providers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for provider in providers:
            self.fields[f"provider_{provider.code}"] = forms.IntegerField(
                label=provider.name, min_value=0, max_value=MAX_PUPILS, initial=0)

    def shares(self) -> dict[str, int]:
        """{provider code: codes} from the cleaned form."""
        return {name.removeprefix("provider_"): value or 0
                for name, value in self.cleaned_data.items() if name.startswith("provider_")}


class FeedForm(forms.Form):
    """A provider's voucher feed to import (contracts/vouchers.md)."""

    file = forms.FileField(label=_("Voucher feed (CSV)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "One line per code in its latest state, as the contract describes, at most "
            "%(limit)s MB. A file with any problem is refused whole.") % {
            "limit": f"{max_upload_mb():g}"}
