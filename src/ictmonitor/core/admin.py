"""The admin for operators: the import history and audit log (read-only), and the one mixin
every admin of a table corrected by hand uses, so a change made there is audited (and a Recorded
row stamped) like any other write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import AuditEntry, ImportRun, Recorded
from ictmonitor.core.problems import shown
from ictmonitor.core.recording import audit, column_values

RECORDED_FIELDS = ("created_at", "updated_at", "changed_by", "import_run")


def related_keys(obj: Any, name: str) -> list[str]:
    """The keys a many-to-many field holds, sorted, as the audit log keeps them."""
    return sorted(str(o.pk) for o in getattr(obj, name).all())


class RecordedAdminMixin:
    """For admins of tables corrected by hand: every change goes to the audit log (which fields
    went from what to what, many-to-many choices too); a Recorded row also gets who and when.

    `audit_key` gives the key the importers use for the row (an institution's number), so the
    audit log shows a row's changes by hand and by import together.
    """

    model: Any

    def recorded(self) -> bool:
        """Whether the model carries the Recorded columns (who and when, the import)."""
        return issubclass(self.model, Recorded)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        """The recorded columns are never typed by hand."""
        given = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        if not self.recorded():
            return tuple(given)
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
        if self.recorded():
            if not change:
                obj.created_at = now
            obj.updated_at = now
            obj.changed_by = request.user.get_username()
            obj.import_run = None
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        new = column_values(obj, names)
        before = column_values(old, names) if old is not None else dict.fromkeys(new)
        changes = {k: (before[k], v) for k, v in new.items() if not change or before[k] != v}
        if change and not changes:
            return
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        audit(request.user, now, action, obj, self.audit_key(obj), changes)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Save many-to-many choices, and record those that changed."""
        obj = form.instance
        m2m = [f.name for f in obj._meta.many_to_many if f.name in form.changed_data]
        before = {n: related_keys(obj, n) if change else [] for n in m2m}
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        after = {n: related_keys(obj, n) for n in m2m}
        changes = {n: (before[n], after[n]) for n in m2m if before[n] != after[n]}
        if changes:
            audit(request.user, timezone.now(), AuditEntry.Action.UPDATE, obj,
                  self.audit_key(obj), changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        """Record the deletion, then delete."""
        audit(request.user, timezone.now(), AuditEntry.Action.DELETE, obj, self.audit_key(obj),
              {})
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        """Record each deletion of a bulk delete, then delete."""
        now = timezone.now()
        for obj in queryset:
            audit(request.user, now, AuditEntry.Action.DELETE, obj, self.audit_key(obj), {})
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
    exclude = ("problems", "warnings")  # shown in words, in the reader's language
    readonly_fields = ("problems_in_words", "warnings_in_words")

    @admin.display(description=_("problems"))
    def problems_in_words(self, run: ImportRun) -> str:
        """The run's problems in the page's language, a line each (core/problems.py)."""
        return format_html_join("", "{}<br>", ((line,) for line in shown(run.problems)))

    @admin.display(description=_("warnings"))
    def warnings_in_words(self, run: ImportRun) -> str:
        """The run's warnings in the page's language, a line each."""
        return format_html_join("", "{}<br>", ((line,) for line in shown(run.warnings)))


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Every change to every row: the fields that changed, from what to what, by whom, when."""

    list_display = ("at", "actor", "action", "table", "object_key", "import_run")
    list_filter = ("action", "table")
    search_fields = ("^object_key", "actor")
    date_hierarchy = "at"
    list_select_related = ("import_run",)
    show_full_result_count = False
