"""The import upload form and the audit log's filter."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ictmonitor.assessment.importers import import_labels
from ictmonitor.core import selectors
from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.unfinished import upload_dir, upload_suffix
from ictmonitor.registry.importers import import_enrolments, import_school_list

# What an analyst or administrator may upload here, and the importer that reads it. Provider
# feeds (subscriptions, vouchers) have upload pages of their own, confined to the provider.
IMPORTERS: dict[str, tuple[Any, Callable[..., ImportRun]]] = {
    "schools": (_("School list (Flemish or DUO, recognised from its header)"), import_school_list),
    "enrolments": (_("Pupil counts per location, school year and level"), import_enrolments),
    "labels": (_("Online-safety labels carried over from an earlier programme"), import_labels),
}
MB = 1024 * 1024
UPLOAD_CHUNK = MB


def max_upload_mb() -> float:
    """The largest file the upload form takes, in MB (setting IMPORT_MAX_UPLOAD_MB, default 200)."""
    return float(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 200))


def too_large(upload: Any) -> bool:
    """Whether an uploaded file is beyond the upload limit."""
    return bool((upload.size or 0) > max_upload_mb() * MB)


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


def upload_name(upload: Any, default: str = "feed.csv") -> str:
    """The uploaded file's own name, without any folder the browser sent."""
    return Path(upload.name or default).name


class UploadForm(forms.Form):
    """A file to import and what it holds."""

    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(key, label) for key, (label, _importer) in IMPORTERS.items()],
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV file exactly as its sender published it, at most %(limit)s MB."
        ) % {"limit": f"{max_upload_mb():g}"}

    def clean_file(self) -> Any:
        """Refuse a file beyond the size limit before anything reads it."""
        upload = self.cleaned_data["file"]
        limit = max_upload_mb()
        if too_large(upload):
            raise forms.ValidationError(
                _("This file is %(size)s MB; files of at most %(limit)s MB can be imported "
                  "here. Ask an operator to import it with the ictmonitor import command."),
                code="too_large",
                params={"size": f"{upload.size / MB:.1f}", "limit": f"{limit:g}"},
            )
        return upload

    def run_import(self, user: Any) -> ImportRun:
        """Import the uploaded file in the user's name (raises ImportRefused); keeps no copy."""
        upload = self.cleaned_data["file"]
        importer = IMPORTERS[self.cleaned_data["kind"]][1]
        with saved_upload(upload) as path:
            return importer(path, actor=user.get_username(), user=user,
                            display_name=upload_name(upload))


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
