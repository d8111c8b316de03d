"""The assessment in the admin, read-only: every write goes through the services (and the audit
log). Labels are revoked on the school's label page, with a reason."""

from __future__ import annotations

from django.contrib import admin

from ictmonitor.assessment.models import Action, Assessment, Label, PolicyDocument
from ictmonitor.core.admin import ReadOnlyAdmin


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    """Assessments per school and cycle."""

    list_display = ("institution", "cycle", "version", "status", "submitted_at", "overall_score")
    list_filter = ("status", "version")
    search_fields = ("institution__number", "institution__name")
    raw_id_fields = ("institution", "previous")
    show_full_result_count = False


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    """Actions of the plans."""

    list_display = ("assessment", "position", "question", "status", "owner", "due_on")
    list_filter = ("status", "area", "critical_gap")
    search_fields = ("assessment__institution__number", "question")
    raw_id_fields = ("assessment",)
    show_full_result_count = False


@admin.register(Label)
class LabelAdmin(ReadOnlyAdmin):
    """Labels, earned or carried over."""

    list_display = ("institution", "level", "awarded_on", "valid_until", "carried_over",
                    "revoked_at")
    list_filter = ("level", "carried_over")
    search_fields = ("institution__number", "institution__name")
    raw_id_fields = ("institution", "assessment")
    exclude = ("token",)
    show_full_result_count = False


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ReadOnlyAdmin):
    """Generated policy documents, every version."""

    list_display = ("institution", "kind", "number", "created_at", "actor")
    list_filter = ("kind",)
    search_fields = ("institution__number", "institution__name")
    raw_id_fields = ("institution", "assessment")
    show_full_result_count = False
