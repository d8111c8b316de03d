"""A school's incident log: what happened, how bad, who was told, what was done, what was
learnt. Never a pupil's name or national number (services.check_text refuses the latter)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import Recorded
from ictmonitor.registry.models import Institution


class Kind(models.TextChoices):
    """What kind of incident (issue 14, item 7)."""

    PHISHING = "phishing", _("phishing")
    RANSOMWARE = "ransomware", _("ransomware")
    ACCOUNT_TAKEOVER = "account-takeover", _("account takeover")
    DATA_BREACH = "data-breach", _("data breach")
    CYBERBULLYING = "cyberbullying", _("cyberbullying")
    SEXTING = "sexting", _("sexting or nudes")
    SEXTORTION = "sextortion", _("sextortion")
    GROOMING = "grooming", _("grooming")
    EXTREMISM = "extremism", _("extremism")
    HATE_SPEECH = "hate-speech", _("hate speech")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    """How bad it was for the school and those involved."""

    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Told(models.TextChoices):
    """Who was told: the Flemish incident procedure's contacts."""

    BOARD = "board", _("school board")
    DPO = "dpo", _("data protection officer")
    VTC = "vtc", _("Flemish supervisory commission (VTC)")
    CCB = "ccb", _("Centre for Cybersecurity Belgium (CCB)")
    POLICE = "police", _("police")
    PARENTS = "parents", _("parents")
    HELPLINE_1712 = "1712", _("1712 (helpline for violence and abuse)")


class Incident(Recorded):
    """One incident of one school. `recorded_on` (the day it was first recorded) decides which
    release counts it, so a release's figures never change when later incidents come in."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT,
                                    related_name="incidents")
    occurred_on = models.DateField(_("date"))
    recorded_on = models.DateField(_("recorded on"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    # Codes of Told, in the order of Told; a JSON list works the same on both databases.
    told = models.JSONField(_("who was told"), default=list, blank=True)
    actions = models.TextField(_("what was done"))
    lessons = models.TextField(_("lessons"), blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["institution", "occurred_on"]),
                   models.Index(fields=["recorded_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(occurred_on__lte=models.F("recorded_on")),
                                   name="incident_occurred_before_recorded"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values),
                                   name="incident_kind_known"),
            models.CheckConstraint(condition=models.Q(severity__in=Severity.values),
                                   name="incident_severity_known"),
        ]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.institution_id} {self.occurred_on} {self.kind}"

    def told_labels(self) -> list[str]:
        """Who was told, by display name, in the order of Told."""
        names = dict(Told.choices)
        return [str(names[code]) for code in self.told if code in names]
