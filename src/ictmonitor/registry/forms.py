"""The school finder's search form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ictmonitor.registry.models import Level, Province
from ictmonitor.registry.selectors import finder_provinces, province_name


class ProvinceChoiceField(forms.ModelChoiceField):
    """A province select showing names in the active language."""

    def label_from_instance(self, obj: Province) -> str:
        """The province's name in the active language."""
        return province_name(obj)


class FinderForm(forms.Form):
    """Search by name or number, filter by level, province and municipality; all optional."""

    q = forms.CharField(
        label=_("Name or institution number"),
        required=False,
        max_length=300,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *Level.choices],
    )
    province = ProvinceChoiceField(
        label=_("Province"),
        required=False,
        queryset=Province.objects.none(),
        to_field_name="code",
        empty_label=_("All provinces"),
    )
    municipality = forms.CharField(
        label=_("Municipality"),
        required=False,
        max_length=100,
        help_text=_("Name or REFNIS code, for example Gent or 44021."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["province"].queryset = finder_provinces()  # type: ignore[attr-defined]

    def search(self) -> dict[str, Any]:
        """The cleaned search terms as keyword arguments for selectors.find_institutions."""
        self.is_valid()  # an invalid field is left out; the page shows why
        data = self.cleaned_data
        province = data.get("province")
        return {
            "q": data.get("q", ""),
            "level": data.get("level", ""),
            "province": province.code if province else "",
            "municipality": data.get("municipality", ""),
        }
