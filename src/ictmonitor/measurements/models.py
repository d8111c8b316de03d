"""Line measurements (contracts/measurements.md): the measuring devices' tokens, every raw
measurement, and a rollup per line (or location without a line) and day and month kept up to
date as measurements are added; an agent's post waits in the inbox (`ReceivedBatch`) until the
worker folds it in (inbox.py). On PostgreSQL the raw table is partitioned by month
(partitioning.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import Recorded

# A device token's secret: `ictd_` + 8 hex + `_` + 43 URL-safe characters.
SECRET_PREFIX = "ictd"  # noqa: S105 (a label, not a secret)
MAX_DEVICES_PER_LOCATION = 5


class DeviceToken(Recorded):
    """The secret one measuring device at one location posts its results with.

    Only a SHA-256 digest is stored (as accounts.ApiToken); the secret is shown once. At most
    MAX_DEVICES_PER_LOCATION tokens of a location are in force at once; a revoked token stays,
    so the device's measurements keep their origin.
    """

    location = models.ForeignKey("registry.Location", on_delete=models.CASCADE,
                                 related_name="device_tokens")
    device = models.CharField(_("device"), max_length=40)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("device token")
        ordering = ["device", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["location", "device"],
                                    condition=models.Q(revoked_at__isnull=True),
                                    name="device_token_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.device} ({self.prefix}…)"


class Kind(models.TextChoices):
    SPEED = "speed", _("speed test")
    PING = "ping", _("reachability check")
    FAILOVER = "failover", _("failover")


class Path(models.TextChoices):
    PRIMARY = "primary", _("primary line")
    BACKUP = "backup", _("backup line")


class Measurement(models.Model):
    """One measurement as the contract's row has it; its key is location + device + measured_at
    + kind (the same instant in any offset is the same key). `line` is the line active at the
    location on that day, or empty ("no line on record")."""

    location = models.ForeignKey("registry.Location", on_delete=models.PROTECT, db_index=False,
                                 related_name="+")
    device = models.CharField(max_length=40)
    measured_at = models.DateTimeField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    path = models.CharField(max_length=7, choices=Path.choices)
    line = models.ForeignKey("connectivity.Subscription", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    download_mbps = models.FloatField(null=True, blank=True)
    upload_mbps = models.FloatField(null=True, blank=True)
    latency_ms = models.FloatField(null=True, blank=True)
    jitter_ms = models.FloatField(null=True, blank=True)
    loss_pct = models.FloatField(null=True, blank=True)
    reachable = models.BooleanField(null=True, blank=True)
    received_at = models.DateTimeField()
    token = models.ForeignKey(DeviceToken, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    import_run = models.ForeignKey("core.ImportRun", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("measurement")
        constraints = [
            models.UniqueConstraint(fields=["location", "device", "measured_at", "kind"],
                                    name="measurement_key"),
        ]
        indexes = [
            models.Index(fields=["line", "measured_at"]),
            # the failover rows of a period (few among a year's millions): spells on backup
            models.Index(fields=["measured_at"], condition=models.Q(kind="failover"),
                         name="measurement_failovers"),
        ]

    def __str__(self) -> str:
        return f"{self.device} {self.kind} {self.measured_at:%Y-%m-%dT%H:%M:%S%z}"


class ReceivedBatch(models.Model):
    """A device's post as answered, waiting to be folded into the raw table and the rollups
    (inbox.py): the items it accepted, checked and parsed, one row a post. The answer is sent
    once this row is committed; the fold adds the items to `Measurement` (a key stored already
    dropped, counted), updates the day rollups and deletes the row, in one transaction."""

    token = models.ForeignKey(DeviceToken, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey("registry.Location", on_delete=models.CASCADE,
                                 related_name="+")
    received_at = models.DateTimeField()
    # each item as inbox.COLUMNS lists its values (measured_at as ISO text, UTC)
    items = models.JSONField()
    count = models.PositiveIntegerField()
    first_measured_at = models.DateTimeField()
    last_measured_at = models.DateTimeField()

    class Meta:
        verbose_name = _("received batch")

    def __str__(self) -> str:
        return f"{self.token_id} {self.received_at:%Y-%m-%dT%H:%M:%S%z} ({self.count})"


class DailyRollup(models.Model):
    """What one day (Europe/Brussels) of one line's measurements adds up to, for reports that
    must not read the raw table: counts, and the school-hour primary speeds themselves (a median
    over a month is exact only from the values). A location's measurements without a line roll
    up with `line` empty. Kept up to date by what every file and every fold of the agents'
    posts adds (rollups.add_staged)."""

    location = models.ForeignKey("registry.Location", on_delete=models.CASCADE, db_index=False,
                                 related_name="+")
    line = models.ForeignKey("connectivity.Subscription", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    speed_tests = models.PositiveIntegerField(default=0)
    # speed tests on the primary path in school hours, and their speeds (sorted)
    speed_tests_school_hours = models.PositiveIntegerField(default=0)
    download_school_hours = models.JSONField(default=list)
    upload_school_hours = models.JSONField(default=list)
    pings = models.PositiveIntegerField(default=0)
    pings_reachable = models.PositiveIntegerField(default=0)
    pings_school_hours = models.PositiveIntegerField(default=0)
    pings_reachable_school_hours = models.PositiveIntegerField(default=0)
    failovers = models.PositiveIntegerField(default=0)  # failover rows to backup
    returns = models.PositiveIntegerField(default=0)  # failover rows back to primary
    first_measured_at = models.DateTimeField()
    last_measured_at = models.DateTimeField()

    class Meta:
        verbose_name = _("daily rollup")
        constraints = [
            models.UniqueConstraint(fields=["line", "day"], condition=models.Q(line__isnull=False),
                                    name="rollup_line_day"),
            models.UniqueConstraint(fields=["location", "day"],
                                    condition=models.Q(line__isnull=True),
                                    name="rollup_location_day_without_line"),
        ]
        indexes = [models.Index(fields=["day"], name="daily_rollup_day")]  # a month's lines

    def __str__(self) -> str:
        return f"{self.line_id or self.location_id} {self.day}"


class MonthlyRollup(models.Model):
    """A calendar month of one line's day rollups (or a location's without a line), kept by
    `rollups.refresh_months` wherever day rollups are written: the counts summed and the month's
    measured speed (the median of its school-hour primary speed tests, and of their uploads),
    so a year of reports reads a row per line and month, not every day's speeds."""

    location = models.ForeignKey("registry.Location", on_delete=models.CASCADE, db_index=False,
                                 related_name="+")
    line = models.ForeignKey("connectivity.Subscription", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()  # its first day
    speed_tests = models.PositiveIntegerField(default=0)
    speed_tests_school_hours = models.PositiveIntegerField(default=0)
    measured_download = models.FloatField(null=True, blank=True)
    measured_upload = models.FloatField(null=True, blank=True)
    pings = models.PositiveIntegerField(default=0)
    pings_reachable = models.PositiveIntegerField(default=0)
    pings_school_hours = models.PositiveIntegerField(default=0)
    pings_reachable_school_hours = models.PositiveIntegerField(default=0)
    failovers = models.PositiveIntegerField(default=0)
    returns = models.PositiveIntegerField(default=0)
    first_measured_at = models.DateTimeField()
    last_measured_at = models.DateTimeField()

    class Meta:
        verbose_name = _("monthly rollup")
        constraints = [
            models.UniqueConstraint(fields=["line", "month"],
                                    condition=models.Q(line__isnull=False),
                                    name="rollup_line_month"),
            models.UniqueConstraint(fields=["location", "month"],
                                    condition=models.Q(line__isnull=True),
                                    name="rollup_location_month_without_line"),
        ]
        indexes = [models.Index(fields=["month", "location"], name="monthly_rollup_month")]

    def __str__(self) -> str:
        return f"{self.line_id or self.location_id} {self.month:%Y-%m}"


class Alert(Recorded):
    """Something about a measured line that its school and provider should know, raised by
    `alerts.refresh` (the `ictmonitor measurement-alerts` command) and resolved by it when it
    no longer holds. One open alert per kind and subject (the line and month, the device, the
    backup line). `provider` is the line's (at the location, for a device), so a provider sees
    the alerts of its own lines."""

    class Kind(models.TextChoices):
        BELOW_CONTRACT = "below-contract", _("line below its contract")
        DEVICE_DROPPED = "device-dropped", _("measuring device dropped")
        BACKUP_IDLE = "backup-idle", _("backup line never used")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=80)
    location = models.ForeignKey("registry.Location", on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey("connectivity.Subscription", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey("connectivity.Provider", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    device = models.CharField(_("device"), max_length=40, blank=True)
    month = models.CharField(_("month"), max_length=7, blank=True)
    details = models.JSONField(default=dict)
    raised_at = models.DateTimeField(_("raised"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("measurement alert")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject"],
                                    condition=models.Q(resolved_at__isnull=True),
                                    name="alert_open_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"
