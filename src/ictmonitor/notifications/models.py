"""What reaches a user who is not looking: notifications, each user's choices, and where the
daily run left off."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import Recorded


class Notification(models.Model):
    """One thing a user is told about, once (`key` names the event: `label:12:30`). Its text is
    made from `kind` and `params` in the language of the page or e-mail that shows it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications", db_index=False)  # in the key
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(max_length=120)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=300, blank=True)
    in_app = models.BooleanField(default=True)
    by_email = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once"),
        ]
        indexes = [models.Index(fields=["user", "in_app", "read_at"])]

    def __str__(self) -> str:
        return f"{self.key} → {self.user_id}"


class Preference(Recorded):
    """A user's choice for one kind: in the app, by e-mail (no row: both)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", db_index=False)
    kind = models.CharField(_("kind"), max_length=40)
    in_app = models.BooleanField(_("in the app"), default=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class Mark(models.Model):
    """Where the daily run left off: `run` (the last run's start), `framework` (the framework
    version last announced)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.CharField(max_length=100)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
