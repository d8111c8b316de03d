"""Internet providers. Offers, modules and subscriptions join them in the connectivity issue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provider(models.Model):
    """An internet provider that sends feeds, by its code: `telenet`, `proximus`."""

    code = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provider")

    def __str__(self) -> str:
        return self.name
