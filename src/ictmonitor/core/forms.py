"""The audit log's filter, and `saved_upload` (a temporary copy of an upload, named after its
process)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ictmonitor.core import selectors
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.unfinished import upload_dir, upload_suffix

MB = 1024 * 1024
UPLOAD_CHUNK = MB


@contextmanager
def saved_upload(upload: Any) -> Iterator[Path]:
    """The uploaded file written to a temporary file in upload_dir(), deleted afterwards: an
    import reads a path, and no copy of the upload is kept. Its name says which process wrote it,
    so a copy left by a killed server is removed when the next import or server starts."""
    handle, name = tempfile.mkstemp(dir=upload_dir(), suffix=upload_suffix())
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks(UPLOAD_CHUNK):
                out.write(chunk)
        yield path
    finally:
        path.unlink(missing_ok=True)


class AuditFilterForm(forms.Form):
    """Which changes to show: by table, row key, person, action and date; all optional."""

    table = forms.ChoiceField(label=_("Table"), required=False)
    key = forms.CharField(
        label=_("Key"), required=False, max_length=200,
        help_text=_("An institution number shows the institution, its locations and its pupil "
                    "counts; 1001/1 shows one location."),
    )
    actor = forms.CharField(label=_("By"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False,
        choices=[("", _("All actions")), *AuditEntry.Action.choices],
    )
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    run = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [  # type: ignore[attr-defined]
            ("", _("All tables")), *selectors.recorded_tables()
        ]

    def filters(self) -> dict[str, Any]:
        """The cleaned filters as keyword arguments for selectors.audit_entries."""
        self.is_valid()  # an invalid field is left out; the page shows why
        data = self.cleaned_data
        return {name: data.get(name) for name in self.fields}
