"""The vouchers' long work as a background job (core/workkinds.py, registered in apps.py):
reallocating a wave's idle codes to the requests still waiting."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ictmonitor.core.recording import WriteRefused
from ictmonitor.core.translation import language
from ictmonitor.core.workkinds import Progress, WorkDone
from ictmonitor.vouchers import services
from ictmonitor.vouchers.models import Wave


def reallocate(parameters: dict[str, Any], *, user: Any, actor: str,
               progress: Progress) -> WorkDone:
    """Reallocate the idle codes of the wave asked, as the department's button does."""
    wave = Wave.objects.filter(code=parameters["wave"]).first()
    if wave is None:
        raise WriteRefused(_("There is no wave %(wave)s.") % {"wave": parameters["wave"]},
                           "not-found")
    progress(0, 1, wave.code)
    moved = services.reallocate(wave, by=user or actor)
    return WorkDone(summary=_("%(count)s codes of %(wave)s were reallocated.")
                    % {"count": len(moved), "wave": wave.name(language())})
