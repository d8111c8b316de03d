"""Providers, their offers and modules with prices, each line's subscription, and requests.

A line's modules are kept as a bit mask (each module has a fixed bit): a feed row's modules are
one value to compare, stage and audit, and reports join lines to modules with `mask & bit`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import Recorded


class Provider(models.Model):
    """An internet provider that sends feeds, by its code: `telenet`, `proximus`."""

    code = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provider")

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    """`internet-only` or `managed` (the managed offer with modules, like SchoolNet+)."""

    code = models.SlugField(primary_key=True, max_length=40)
    name_nl = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    allows_modules = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("offer")

    def __str__(self) -> str:
        return self.name_nl


class Module(models.Model):
    """A module a managed line can carry: what it does, the risk it addresses, what it needs."""

    code = models.SlugField(primary_key=True, max_length=40)
    bit = models.PositiveIntegerField(unique=True)
    name_nl = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    does_nl = models.TextField()
    does_en = models.TextField()
    risk_nl = models.TextField()
    risk_en = models.TextField()
    min_locations = models.PositiveSmallIntegerField(default=1)
    requires = models.ManyToManyField("self", symmetrical=False, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("module")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bit__gt=0), name="module_bit_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name_nl


class CatalogueVersion(models.Model):
    """The prices of one framework contract, dated: the cable-era SchoolNet catalogue, the 2023
    fibre one. A line keeps the version it was priced under; a quote uses the one in force.

    Prices are without VAT; `vat_rate` gives them with it. `offer_names` are the programme's
    own names of the offers (SchoolNet, SchoolNet+), used only for `programme_provider`'s
    offers: every other provider's, and every report, say what the offer is.
    """

    code = models.SlugField(primary_key=True, max_length=40)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    contract_nl = models.TextField(blank=True)
    contract_en = models.TextField(blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    programme_provider = models.ForeignKey(Provider, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    offer_names = models.JSONField(default=dict, blank=True)
    vat_rate = models.DecimalField(max_digits=4, decimal_places=3)
    contract_months = models.PositiveSmallIntegerField()
    source = models.TextField(blank=True)
    estimate = models.BooleanField(default=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("catalogue version")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="catalogue_version_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.name_nl


class PriceUnit(models.TextChoices):
    """What a module's price is per."""

    LINE = "line", _("per line")
    ACCESS_POINT = "access-point", _("per access point")
    DEVICE = "device", _("per device")


class OfferPrice(models.Model):
    """A provider's prices for an offer at a bandwidth (download Mbps) in a catalogue version:
    a month's fee and the one-off connection cost, both without VAT."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE,
                                related_name="offer_prices")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="offer_prices")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE)
    download_mbps = models.PositiveIntegerField()
    upload_mbps = models.PositiveIntegerField()
    monthly_eur = models.DecimalField(max_digits=9, decimal_places=2)
    one_off_eur = models.DecimalField(max_digits=9, decimal_places=2, default=0)

    class Meta:
        ordering = ["version", "provider", "offer", "download_mbps"]
        constraints = [
            models.UniqueConstraint(fields=["version", "provider", "offer", "download_mbps"],
                                    name="offer_price_key"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.offer_id} {self.download_mbps} Mbps: €{self.monthly_eur}"


class ModulePrice(models.Model):
    """A provider's monthly price for a module in a catalogue version, without VAT: per line,
    per access point (Wi-Fi) or per device (PC backup)."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE,
                                related_name="module_prices")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="module_prices")
    module = models.ForeignKey(Module, on_delete=models.CASCADE)
    monthly_eur = models.DecimalField(max_digits=9, decimal_places=2)
    unit = models.CharField(max_length=12, choices=PriceUnit.choices, default=PriceUnit.LINE)

    class Meta:
        ordering = ["version", "provider", "module"]
        constraints = [
            models.UniqueConstraint(fields=["version", "provider", "module"],
                                    name="module_price_key"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.module_id}: €{self.monthly_eur}"


class VoucherPrice(models.Model):
    """What a provider charges for one home-internet voucher code a month under a catalogue
    version, without VAT (seed 002: the codes were free to families; the programme paid)."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE,
                                related_name="voucher_prices")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    monthly_eur = models.DecimalField(max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["version", "provider"]
        verbose_name = _("voucher price")
        constraints = [
            models.UniqueConstraint(fields=["version", "provider"], name="voucher_price_key"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id} {self.provider_id}: €{self.monthly_eur}"


class Subscription(Recorded):
    """One line at one location, as the provider's feed last described it.

    Its history is the audit log of the key `provider/contract_id`.
    """

    # Indexed by the key (provider, contract_id), which starts with it.
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="lines",
                                 db_index=False)
    contract_id = models.CharField(_("contract"), max_length=100)
    location = models.ForeignKey("registry.Location", on_delete=models.PROTECT,
                                 related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT)
    download_mbps = models.PositiveIntegerField()
    upload_mbps = models.PositiveIntegerField()
    modules = models.BigIntegerField(_("modules"), default=0)
    requested_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # The catalogue version in force on the day it was requested (else started): its prices.
    catalogue_version = models.ForeignKey(CatalogueVersion, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["provider", "contract_id"]
        verbose_name = _("line")
        constraints = [
            models.UniqueConstraint(fields=["provider", "contract_id"], name="line_key"),
        ]
        indexes = [models.Index(fields=["requested_on"])]

    def __str__(self) -> str:
        return f"{self.provider_id}/{self.contract_id}"


class Request(models.Model):
    """A solution a school composed for one location and sent to a provider's queue."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        CONFIRMED = "confirmed", _("confirmed by the provider")
        WITHDRAWN = "withdrawn", _("withdrawn")

    location = models.ForeignKey("registry.Location", on_delete=models.PROTECT,
                                 related_name="connectivity_requests")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="requests",
                                 db_index=False)  # indexed with status below
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT)
    download_mbps = models.PositiveIntegerField()
    upload_mbps = models.PositiveIntegerField()
    modules = models.BigIntegerField(default=0)
    monthly_eur = models.DecimalField(max_digits=9, decimal_places=2)  # without VAT
    one_off_eur = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    access_points = models.PositiveSmallIntegerField(default=0)
    devices = models.PositiveSmallIntegerField(default=0)
    catalogue_version = models.ForeignKey(CatalogueVersion, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    line = models.ForeignKey(Subscription, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="requests")

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("request")
        indexes = [models.Index(fields=["provider", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.provider_id} {self.offer_id} ({self.status})"
