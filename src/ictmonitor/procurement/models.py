"""Scenarios people save from the simulator: their own, in the scenario file format as JSON."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import Recorded


class SavedScenario(Recorded):
    """One user's named scenario; only its owner sees it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="tariff_scenarios", verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=100)
    data = models.JSONField(_("scenario"), encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved tariff scenario")
        verbose_name_plural = _("saved tariff scenarios")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"],
                                    name="procurement_one_name_per_owner"),
            models.CheckConstraint(condition=~models.Q(name=""), name="procurement_name_given"),
        ]

    def __str__(self) -> str:
        return self.name
