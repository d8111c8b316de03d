"""The board matrix's filter: every narrowing at once, in one form (GET)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ictmonitor.home.board import Filters, KeyModule


class MatrixFilter(forms.Form):
    """Narrow the matrix: a name or number, a line or none, modules missing, a label, the
    standard, the measured speed. Unknown choices are ignored, never an error page."""

    q = forms.CharField(label=_("School name or number"), required=False, max_length=100)
    line = forms.ChoiceField(label=_("Internet line"), required=False, choices=[
        ("", _("any")), ("with", _("has an active line")), ("without", _("has no active line"))])
    lacks = forms.MultipleChoiceField(label=_("Lacks the module"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    label = forms.ChoiceField(label=_("Online-safety label"), required=False, choices=[
        ("", _("any")), ("with", _("holds a label")), ("without", _("holds no label")),
        ("expiring", _("label expires within 90 days"))])
    standard = forms.ChoiceField(label=_("Connectivity standard"), required=False, choices=[
        ("", _("any")), ("meets", _("meets the standard")), ("misses", _("misses the standard")),
        ("unknown", _("cannot tell")), ("none", _("no line to judge"))])
    measured = forms.ChoiceField(label=_("Measured speed"), required=False, choices=[
        ("", _("any")), ("below", _("a line below 80 percent of its contract")),
        ("measured", _("measured this month or last")), ("unmeasured", _("not measured"))])

    def __init__(self, *args: Any, modules: list[KeyModule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lacks = self.fields["lacks"]
        assert isinstance(lacks, forms.MultipleChoiceField)
        lacks.choices = [(m.code, m.name) for m in modules]

    def filters(self) -> Filters:
        """The filters chosen; nothing narrowed when the form does not validate."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(text=data["q"], line=data["line"], lacks=tuple(data["lacks"]),
                       label=data["label"], standard=data["standard"],
                       measured=data["measured"])
