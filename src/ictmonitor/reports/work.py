"""The reports' long work as background jobs (core/workkinds.py, registered in apps.py): the
answer pack as a PDF, and publishing a release (which freezes its tables)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ictmonitor.core.workkinds import Progress, WorkDone, outputs_dir
from ictmonitor.reports import packs
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.releases import publish_release


def report_pack(parameters: dict[str, Any], *, user: Any, actor: str,
                progress: Progress) -> WorkDone:
    """The answer pack on the date asked, exact or as published (`public`)."""
    at = date.fromisoformat(parameters["at"])
    language = parameters.get("language", "nl")
    pdf, count = packs.render(Parameters(at=at, public=bool(parameters.get("public")),
                                         language=language), progress)
    handle, name = tempfile.mkstemp(dir=outputs_dir(), prefix="report-pack-", suffix=".pdf")
    with open(handle, "wb") as out:
        out.write(pdf)
    return WorkDone(summary=_("The answer pack of %(date)s holds %(count)s reports.")
                    % {"date": at.isoformat(), "count": count},
                    output=Path(name), output_name=f"ictmonitor-{at.isoformat()}.pdf")


def publish(parameters: dict[str, Any], *, user: Any, actor: str,
            progress: Progress) -> WorkDone:
    """Publish the release of the date asked (refused, with the reason, as the command is)."""
    progress(0, 1, "freezing")
    on = publish_release(date.fromisoformat(parameters["on"]), by=user or actor).on
    return WorkDone(summary=_("%(date)s is released: the public pages serve its figures.")
                    % {"date": on.isoformat()})
