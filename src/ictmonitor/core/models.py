"""What every app shares: who changed what and when, and the record of every import."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One attempt to import one file: who, when, what it did, or why it was refused or failed.

    `host`, `pid` and `process_mark` name the process that runs it (core/processes.py): a run
    still "running" whose process is gone is marked failed when the next import or the server
    starts (core/unfinished.py).
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=40)
    file_name = models.CharField(_("file"), max_length=500)
    sha256 = models.CharField(max_length=64)
    actor = models.CharField(_("by"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # Counts per table written, e.g. {"institutions": {"created": 3, ...}, "locations": {...}}.
    details = models.JSONField(default=dict, blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    process_mark = models.CharField(_("process start mark"), max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"


class AuditEntry(models.Model):
    """One change to one row: the fields that changed, from what to what, by whom, when."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.CharField(_("by"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    table = models.CharField(max_length=100)
    object_key = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["table", "object_key"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.table} {self.object_key}"


class Recorded(models.Model):
    """Columns every written row carries: created and changed when, by whom, by which import."""

    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("changed"))
    changed_by = models.CharField(_("changed by"), max_length=150)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class MergeUndo(models.Model):
    """How to take back one slice of an import merged in slices (SQLite, core/slices.py) until
    the whole file is in: rows it inserted (a rowid range) or a row's values before it changed
    them. Removed when the import succeeds; applied backwards when it fails or its process died.
    """

    class Kind(models.TextChoices):
        INSERTED = "inserted", _("inserted")
        UPDATED = "updated", _("updated")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="undo")
    table_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    first_row = models.BigIntegerField()
    last_row = models.BigIntegerField()
    old = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("undo step of an import")

    def __str__(self) -> str:
        return f"{self.run_id} {self.kind} {self.table_name} {self.first_row}-{self.last_row}"
