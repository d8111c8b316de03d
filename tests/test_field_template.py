"""_field.html, the one way a form field is drawn: a group of choices is a named fieldset."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string


class Example(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the letter.")
    providers = forms.MultipleChoiceField(
        label="Providers", widget=forms.CheckboxSelectMultiple,
        choices=[("telenet", "Telenet"), ("proximus", "Proximus")])


def test_a_text_field_has_a_label_for_its_input() -> None:
    html = render_to_string("_field.html", {"field": Example()["name"]})
    assert '<label for="id_name">Name</label>' in html
    assert 'aria-describedby="id_name_helptext"' in html and 'id="id_name_helptext"' in html


def test_a_group_of_check_boxes_is_a_fieldset_named_by_its_legend() -> None:
    html = render_to_string("_field.html", {"field": Example()["providers"]})
    assert html.startswith('<fieldset class="field"') and "<legend>Providers</legend>" in html
    assert 'for=""' not in html
    assert '<label for="id_providers_0"><input type="checkbox"' in html
