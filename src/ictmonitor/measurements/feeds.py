"""The upload page of measurement files (contracts/measurements.md): a provider sends those of
its own lines, the department any; imported as a job through the one upload path."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ictmonitor.accounts.access import Role, access, role_of
from ictmonitor.jobs.uploads import max_upload_mb
from ictmonitor.jobs.views import queue_from_form, upload_form


class MeasurementsFileForm(forms.Form):
    """A measurements file to import as a job."""

    file = forms.FileField(label=gettext_lazy("Measurements file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV file with one measurement per line: schoolnummer;intern_vplnummer;device;"
            "measured_at;kind;path;download_mbps;upload_mbps;latency_ms;jitter_ms;loss_pct;"
            "reachable. At most %(limit)s MB."
        ) % {"limit": f"{max_upload_mb():g}"}


@access(Role.PROVIDER, Role.ANALYST, Role.ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a measurements file, imported as a job; a provider's may hold only its lines'."""
    form = upload_form(request, MeasurementsFileForm)
    if request.method == "POST":
        queued = queue_from_form(request, form, "measurements")
        if queued is not None:
            return queued
    return render(request, "measurements/upload.html", {
        "form": form, "provider": getattr(request.user, "provider", None),
        "confined": role_of(request.user) == Role.PROVIDER,
    })
