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


class ReleaseTable(models.Model):
    """A sensitive report's finest table as it stood when its release was published, frozen:
    the public figures of that release are sums of it, whatever is recorded later (a voucher
    activation backdated into a released period, a corrected pupil count, a school that moved)
    — two downloads of one release can never differ and single out what changed."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="tables")
    report = models.CharField(_("report"), max_length=60)
    dimensions = models.JSONField(_("dimensions"))
    measures = models.JSONField(_("measures"))
    rows = models.JSONField(_("rows"))  # [dimension values..., measure values...] per cell

    class Meta:
        constraints = [models.UniqueConstraint(fields=["release", "report"],
                                               name="release_table_once")]
        verbose_name = _("frozen release table")
        verbose_name_plural = _("frozen release tables")

    def __str__(self) -> str:
        return f"{self.release} {self.report}"
