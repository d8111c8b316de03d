"""The admin for operators: the import history and audit log (read-only), and the mixin every
admin of a Recorded model uses so a change made by hand is stamped and audited like an import's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.recording import plain

RECORDED_FIELDS = ("created_at", "updated_at", "changed_by", "import_run")

def column_values(obj: models.Model, names: Iterable[str]) -> dict[str, object]:
    """The stored value of each named field, keyed by column (attname) as the importers do."""
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.concrete and not field.many_to_many:
            values[field.attname] = plain(field.value_from_object(obj))  # type: ignore[union-attr]
    return values


def write_audit(request: HttpRequest, obj: models.Model, key: str, action: str,
                changes: dict[str, Any]) -> AuditEntry:
    """Record one change made by a person in the admin."""
    user: Any = request.user
    return AuditEntry.objects.create(
        at=timezone.now(), actor=user.get_username(), user=user,
        action=action, table=obj._meta.label_lower, object_key=key, changes=changes,
    )


class RecordedAdminMixin:
    """For admins of Recorded models: fill who and when, and write every change to the audit log.

    `audit_key` gives the key the importers use for the row (an institution's number), so the
    audit log shows a row's changes by hand and by import together.
    """

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        """The recorded columns are never typed by hand."""
        given = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return (*given, *(f for f in RECORDED_FIELDS if f not in given))

    def audit_key(self, obj: Any) -> str:
        """The row's key in the audit log."""
        return str(obj.pk)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Stamp the row and record which fields went from what to what."""
        names = [n for n in form.changed_data if n in {f.name for f in obj._meta.concrete_fields}]
        if change and not names:
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            return
        old = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        now = timezone.now()
        if not change:
            obj.created_at = now
        obj.updated_at = now
        obj.changed_by = request.user.get_username()
        obj.import_run = None
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        new = column_values(obj, names)
        before = column_values(old, names) if old is not None else dict.fromkeys(new)
        changes = {k: [before[k], v] for k, v in new.items() if not change or before[k] != v}
        if change and not changes:
            return
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        write_audit(request, obj, self.audit_key(obj), action, changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        """Record the deletion, then delete."""
        write_audit(request, obj, self.audit_key(obj), AuditEntry.Action.DELETE, {})
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        """Record each deletion of a bulk delete, then delete."""
        for obj in queryset:
            write_audit(request, obj, self.audit_key(obj), AuditEntry.Action.DELETE, {})
        super().delete_queryset(request, queryset)  # type: ignore[misc]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never added, changed or deleted by hand: the record of what happened."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Nobody adds history."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Nobody rewrites history."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Nobody erases history."""
        return False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """Every import attempt: who, when, which file, what it did or why it was refused."""

    list_display = ("started_at", "actor", "kind", "file_name", "status", "rows", "created",
                    "updated", "unchanged")
    list_filter = ("kind", "status")
    search_fields = ("file_name", "actor", "sha256")
    date_hierarchy = "started_at"
    show_full_result_count = False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Every change to every row: the fields that changed, from what to what, by whom, when."""

    list_display = ("at", "actor", "action", "table", "object_key", "import_run")
    list_filter = ("action", "table")
    search_fields = ("^object_key", "actor")
    date_hierarchy = "at"
    list_select_related = ("import_run",)
    show_full_result_count = False
