"""Releases: the reference dates whose figures the public pages and downloads serve."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import Recorded


class Release(Recorded):
    """A reference date an analyst published (reports.md, "Disclosure control"): the public
    pages serve only these dates, and each is protected together with the earlier ones."""

    on = models.DateField(_("reference date"), unique=True)

    class Meta:
        ordering = ["on"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return self.on.isoformat()
