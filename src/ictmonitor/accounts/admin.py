"""Accounts in the admin: users with their role and memberships, and API tokens (revoke only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ictmonitor.accounts.models import ApiToken, User
from ictmonitor.accounts.services import record_password_set, revoke_tokens
from ictmonitor.core.admin import RecordedAdminMixin

MEMBERSHIPS = ("institutions", "boards", "school_groups", "provider")


@admin.register(User)
class UserAdmin(RecordedAdminMixin, DjangoUserAdmin):
    """Django's user admin, with the role and what the user belongs to; every change audited
    (a password only as set, never its value)."""

    # Django's UserAdmin always defines its fieldsets; the stubs type ModelAdmin's as optional.
    assert DjangoUserAdmin.fieldsets is not None
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:2],
        (_("Role and memberships"), {"fields": ("role", *MEMBERSHIPS)}),
        *DjangoUserAdmin.fieldsets[2:],
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "email", "role", "usable_password", "password1",
                           "password2")}),
        (_("Role and memberships"), {"fields": MEMBERSHIPS}),
    )
    list_display = ("username", "email", "first_name", "last_name", "role", "provider",
                    "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff", "is_superuser", "provider")
    list_select_related = ("provider",)
    autocomplete_fields = MEMBERSHIPS

    def audit_key(self, obj: Any) -> str:
        """A user is known by its user name, as the commands' entries name it."""
        return str(obj.username)

    def user_change_password(self, request: HttpRequest, id: str,
                             form_url: str = "") -> HttpResponse:
        """Django's password form; a password set there is recorded as set."""
        answer = super().user_change_password(request, id, form_url)
        user = self.get_object(request, id)
        if request.method == "POST" and answer.status_code == 302 and user is not None:
            record_password_set(user, by=request.user)
        return answer


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens: issued with `ictmonitor token`, looked at and revoked here; never edited."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("=prefix", "name", "user__username")
    list_select_related = ("user",)
    fields = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """A token's secret is shown once, by the command that makes it."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Revoked, never deleted (its change page offered a delete, not audited)."""
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        """Stop the selected tokens from working; they stay listed."""
        count = revoke_tokens(queryset.filter(revoked_at__isnull=True), by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def get_actions(self, request: HttpRequest,
                    action_location: Any = admin.ActionLocation.CHANGE_LIST) -> dict[str, Any]:
        """Revoke, not delete: a revoked token still tells who used the API when."""
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions
