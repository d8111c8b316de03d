"""The import page's form: what the file holds, and the file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ictmonitor.jobs.kinds import KINDS
from ictmonitor.jobs.uploads import max_upload_mb


class ImportForm(forms.Form):
    """A file to import and what it holds (the kinds the department imports; provider feeds
    have pages of their own)."""

    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=lambda: [(code, kind.label) for code, kind in KINDS.items()
                         if not kind.provider_feed],  # as the apps registered them at start-up
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV file exactly as its sender published it, at most %(limit)s MB."
        ) % {"limit": f"{max_upload_mb():g}"}
