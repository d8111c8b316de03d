"""The voucher ledger: waves, requests, allocations across providers, and every code's life.

A code's state follows from its dates (requested → issued → activated → extended → expired);
the hand-out to a pupil is recorded under a pseudonymous reference only. No pupil's name or
national number is ever stored.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import Recorded

# Newest wave first; waves without an opening date last, on every database.
WAVE_ORDER = (F("opens_on").desc(nulls_last=True), "code")


class RequesterType(models.TextChoices):
    """Who asked for the codes."""

    SCHOOL = "school", _("school")
    MUNICIPALITY = "municipality", _("municipality")
    OCMW = "ocmw", _("social welfare centre (OCMW)")


class State(models.TextChoices):
    """Where a code stands, as its dates (and its hand-out) say."""

    REQUESTED = "requested", _("requested")
    ISSUED = "issued", _("issued")
    HANDED_OUT = "handed-out", _("handed out")
    ACTIVATED = "activated", _("activated")
    EXTENDED = "extended", _("extended")
    EXPIRED = "expired", _("expired")


class Problem(models.TextChoices):
    """Why an issued code was not activated, as the school records it."""

    NO_LONGER_NEEDED = "no-longer-needed", _("no longer needed")
    DECLINED = "declined", _("the family declined")
    NO_COVERAGE = "no-coverage", _("no coverage at home")
    PUPIL_LEFT = "pupil-left", _("the pupil left the school")
    UNKNOWN = "unknown", _("unknown")


class Wave(Recorded):
    """A campaign (`2020-spring`): when requests are taken, by which providers, and its rules."""

    code = models.SlugField(_("code"), unique=True, max_length=40)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    opens_on = models.DateField(_("requests from"), null=True, blank=True)
    closes_on = models.DateField(_("requests until"), null=True, blank=True)
    expires_on = models.DateField(_("codes valid until"), null=True, blank=True)
    providers = models.ManyToManyField("connectivity.Provider", blank=True,
                                       related_name="voucher_waves", verbose_name=_("providers"))
    reallocate_after_days = models.PositiveSmallIntegerField(
        _("reallocate idle codes after (days)"), default=30,
        help_text=_("A code issued but not handed out this many days may go to a request that "
                    "is still waiting."))
    extension_days = models.PositiveSmallIntegerField(_("an extension adds (days)"), default=90)
    extension_use_days = models.PositiveSmallIntegerField(
        _("extension needs use within (days)"), default=30,
        help_text=_("An extension is granted only when the code was used this recently."))
    extension_on_request = models.BooleanField(
        _("extended on simple request"), default=False,
        help_text=_("Any activated code is extended when its school asks, used recently or "
                    "not."))
    extended_to = models.DateField(
        _("every activated code extended to"), null=True, blank=True,
        help_text=_("The wave's agreements were extended wholesale to this day."))

    class Meta:
        ordering = WAVE_ORDER
        verbose_name = _("wave")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True)
                | Q(closes_on__gte=F("opens_on")), name="wave_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.name_nl or self.code

    def name(self, language: str) -> str:
        """The wave's name in a language."""
        return (self.name_en if language == "en" else self.name_nl) or self.code

    def is_open(self, day: date) -> bool:
        """Whether requests are taken on this day."""
        return bool(self.opens_on and self.opens_on <= day
                    and (self.closes_on is None or day <= self.closes_on))


def alive(day: date) -> Q:
    """Codes that still work on a day: no end date, or an expiry or extension not yet past."""
    return (Q(expires_on__isnull=True, extended_until__isnull=True) | Q(expires_on__gte=day)
            | Q(extended_until__gte=day))


REQUESTER_SHAPE = (
    Q(requested_by=RequesterType.SCHOOL, institution__isnull=False, municipality__isnull=True)
    | Q(requested_by__in=[RequesterType.MUNICIPALITY, RequesterType.OCMW],
        institution__isnull=True, municipality__isnull=False)
)


class Request(Recorded):
    """A school, municipality or OCMW asking for codes for a number of pupils in a wave."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for allocation")
        ALLOCATED = "allocated", _("allocated to providers")
        WITHDRAWN = "withdrawn", _("withdrawn")

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="requests")
    requested_by = models.CharField(_("requested by"), max_length=12,
                                    choices=RequesterType.choices)
    institution = models.ForeignKey("registry.Institution", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="voucher_requests")
    municipality = models.ForeignKey("registry.Municipality", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    pupils = models.PositiveIntegerField(_("pupils"))
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    # Codes taken from this request by reallocation: they count as served.
    released = models.PositiveIntegerField(_("codes reallocated away"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["wave", "created_at", "id"]
        verbose_name = _("voucher request")
        constraints = [
            models.CheckConstraint(condition=REQUESTER_SHAPE, name="request_requester_shape"),
            models.CheckConstraint(condition=Q(pupils__gt=0), name="request_pupils_positive"),
            models.UniqueConstraint(fields=["wave", "institution"],
                                    condition=Q(institution__isnull=False),
                                    name="request_one_per_school_and_wave"),
            models.UniqueConstraint(fields=["wave", "requested_by", "municipality"],
                                    condition=Q(municipality__isnull=False),
                                    name="request_one_per_municipality_and_wave"),
        ]

    def __str__(self) -> str:
        return f"{self.wave.code} {self.requested_by} {self.requester_key}"

    @property
    def requester_key(self) -> str:
        """The requester's number: a schoolnummer or a REFNIS code."""
        institution = self.institution  # None (and no query) when institution_id is None
        return str(institution.number if institution is not None else self.municipality_id)


class Allocation(Recorded):
    """How many codes of a request the department gave to one provider."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="allocations")
    provider = models.ForeignKey("connectivity.Provider", on_delete=models.PROTECT,
                                 related_name="voucher_allocations")
    codes = models.PositiveIntegerField(_("codes"))

    class Meta:
        ordering = ["request", "provider"]
        verbose_name = _("allocation")
        constraints = [
            models.UniqueConstraint(fields=["request", "provider"], name="allocation_key"),
        ]

    def __str__(self) -> str:
        return f"{self.request} → {self.provider_id}: {self.codes}"


class Voucher(Recorded):
    """One code of one provider, as its feed last described it and the ledger recorded it.

    `unit` is the school the code is counted under: the pupil's school, else the requesting
    school (reports.md). Its history is the audit log of the key `provider/code`.
    """

    # The pupil's reference is for the school's own staff: the audit log says it changed, not
    # what it is.
    AUDIT_HIDDEN = frozenset({"pupil_ref"})

    provider = models.ForeignKey("connectivity.Provider", on_delete=models.PROTECT,
                                 related_name="vouchers", db_index=False)  # leads the key
    code = models.CharField(_("code"), max_length=100)
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="vouchers")
    requested_by = models.CharField(_("requested by"), max_length=12,
                                    choices=RequesterType.choices)
    requester_institution = models.ForeignKey(
        "registry.Institution", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    requester_municipality = models.ForeignKey(
        "registry.Municipality", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_index=False)
    school = models.ForeignKey("registry.Institution", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", db_index=False)
    unit = models.ForeignKey("registry.Institution", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             db_index=False)  # leads the index voucher_unit_dates
    request = models.ForeignKey(Request, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="vouchers",
                                db_index=False)  # leads the index voucher_request_codes
    requested_on = models.DateField(_("requested"), null=True, blank=True)
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    activated_on = models.DateField(_("activated"), null=True, blank=True)
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    last_used_on = models.DateField(_("last used"), null=True, blank=True)
    pupil_ref = models.CharField(_("pupil reference"), max_length=64, blank=True)
    handed_out_at = models.DateTimeField(_("handed out"), null=True, blank=True)
    handed_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+",
                                      db_index=False)
    problem = models.CharField(_("why not used"), max_length=20, blank=True,
                               choices=Problem.choices, db_default="")
    reallocated_at = models.DateTimeField(_("reallocated"), null=True, blank=True)

    class Meta:
        ordering = ["provider", "code"]
        verbose_name = _("voucher")
        constraints = [
            models.UniqueConstraint(fields=["provider", "code"], name="voucher_key"),
            models.CheckConstraint(
                condition=Q(requested_by=RequesterType.SCHOOL,
                            requester_institution__isnull=False,
                            requester_municipality__isnull=True)
                | Q(requested_by__in=[RequesterType.MUNICIPALITY, RequesterType.OCMW],
                    requester_institution__isnull=True, requester_municipality__isnull=False),
                name="voucher_requester_shape"),
            models.CheckConstraint(
                condition=Q(activated_on__isnull=True)
                | Q(issued_on__isnull=False, activated_on__gte=F("issued_on")),
                name="voucher_activated_after_issue"),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(requested_on__isnull=True)
                | Q(issued_on__gte=F("requested_on")),
                name="voucher_issued_after_request"),
        ]
        indexes = [
            # Covers voucher-summary by school: grouped in index order, no table lookups.
            models.Index(fields=["unit", "requested_on", "issued_on", "activated_on",
                                 "extended_until"], name="voucher_unit_dates"),
            # Cover the provider's page: the codes issued and activated per allocated request,
            # and per wave with the days to activation, read from the index alone.
            models.Index(fields=["request", "provider", "issued_on", "activated_on"],
                         name="voucher_request_codes"),
            models.Index(fields=["provider", "wave", "issued_on", "activated_on"],
                         name="voucher_provider_waves"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}/{self.code}"

    @property
    def end(self) -> date | None:
        """The last day the code works: its expiry, or its extension when later."""
        days = [d for d in (self.expires_on, self.extended_until) if d]
        return max(days) if days else None

    def state(self, on: date) -> str:
        """The code's state on a day."""
        end = self.end
        if end is not None and end < on and self.issued_on:
            return State.EXPIRED
        if self.extended_until:
            return State.EXTENDED
        if self.activated_on:
            return State.ACTIVATED
        if self.issued_on:
            return State.HANDED_OUT if self.handed_out_at or self.pupil_ref else State.ISSUED
        return State.REQUESTED
