"""The assessment's forms: answers per area, submit, an action of the plan, revoke, documents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ictmonitor.assessment.framework import Question
from ictmonitor.assessment.models import Action, PolicyDocument

LEVEL_CHOICES = [("", _("not answered yet")), ("0", "0"), ("1", "1"), ("2", "2"), ("3", "3"),
                 ("dont-know", _("don't know"))]
NOT_APPLICABLE = ("not-applicable", _("not applicable"))


class AnswersForm(forms.Form):
    """One radio choice per question (levels 0–3, "don't know", "not applicable" where the
    question allows it, or not answered yet); nothing is required."""

    def __init__(self, *args: Any, questions: list[Question], required: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = LEVEL_CHOICES if not required else LEVEL_CHOICES[1:]
        for question in questions:
            offered = choices + ([NOT_APPLICABLE] if question.allows_not_applicable else [])
            self.fields[question.code] = forms.ChoiceField(
                choices=offered, required=required, widget=forms.RadioSelect)

    def levels(self) -> dict[str, int | str | None]:
        """The answers given, question → level 0–3 or mark (None: cleared)."""
        return {code: (None if value in ("", None) else int(value) if value.isdigit()
                       else value) for code, value in self.cleaned_data.items()}

    def posted(self) -> dict[str, int | str | None]:
        """Only the questions the request carried (autosave sends what the page shows)."""
        return {code: level for code, level in self.levels().items() if code in self.data}


class SubmitForm(forms.Form):
    """Submit the assessment; confirm when questions are left unanswered."""

    confirm = forms.BooleanField(
        label=_("I understand that unanswered questions count as level 0 (not in place)."),
        required=False)


class ActionForm(forms.Form):
    """Who owns an action (a role, never a pupil), by when, and how far it is."""

    action = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    owner = forms.CharField(
        label=_("Owner (a role)"), max_length=100, required=False,
        help_text=_("A role such as ICT coordinator or head teacher; never a pupil."))
    due_on = forms.DateField(label=_("Due"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    focus = forms.BooleanField(label=_("Focus for this cycle"), required=False)


class RevokeForm(forms.Form):
    """Revoke a label, with the reason the verification page will show."""

    label = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class GenerateForm(forms.Form):
    """Generate a new version of a policy document."""

    kind = forms.ChoiceField(choices=PolicyDocument.Kind.choices, widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    """The comment on an answer and its evidence: a short text plus a document or a link."""

    question = forms.CharField(widget=forms.HiddenInput, max_length=80)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Context for this answer; never a pupil's name."))
    text = forms.CharField(
        label=_("Evidence: what shows the answer"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A short text, plus a document or a link."))
    link = forms.CharField(label=_("Link"), required=False, max_length=500,
                           widget=forms.URLInput)
    document = forms.FileField(
        label=_("Document"), required=False,
        help_text=_("PDF, an image or an office document."))
    remove_document = forms.BooleanField(label=_("Remove the current document"),
                                         required=False)


class ReviewForm(forms.Form):
    """A reviewer's decision on an answer's evidence: accept, or send back with a reason."""

    evidence = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    decision = forms.ChoiceField(choices=[("accept", _("Accept")),
                                          ("return", _("Send back"))])
    reason = forms.CharField(label=_("Reason (when sending back)"), required=False,
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
