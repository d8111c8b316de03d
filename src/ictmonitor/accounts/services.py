"""Every write of the accounts app: users with their role and memberships, API tokens issued and
revoked; each audited through core.recording. No password and no token secret ever reaches the
audit log: a new password is recorded as set, a token by its prefix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.accounts.models import ApiToken, Role, User
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import WriteRefused, audit

# The memberships a user can have, each replaced as a whole when given.
MANY_MEMBERSHIPS = ("institutions", "boards", "school_groups")
# What the audit log keeps for a new password: that it was set, never the password.
PASSWORD_SET = "set"  # noqa: S105 - a marker, not a password


def memberships_of(user: User) -> dict[str, list[str]]:
    """The keys of what a user belongs to, sorted, as the audit log keeps them."""
    return {name: sorted(str(o.pk) for o in getattr(user, name).all())
            for name in MANY_MEMBERSHIPS}


def _fields_of(user: User) -> dict[str, Any]:
    """The user's fields the audit log follows (never the password)."""
    return {"role": user.role, "email": user.email, "is_staff": user.is_staff,
            "is_superuser": user.is_superuser, "provider_id": user.provider_id}


def check_role(role: str) -> str:
    """The role, or WriteRefused naming the known ones."""
    if role not in Role.values:
        raise WriteRefused(_("Unknown role %(role)r; choose one of: %(roles)s.")
                           % {"role": role, "roles": ", ".join(Role.values)})
    return role


@transaction.atomic
def save_user(username: str, *, role: str, by: Any, email: str | None = None,
              password: str | None = None,
              memberships: Mapping[str, Any] | None = None) -> tuple[User, bool]:
    """Create or update a user with a role; the memberships given (`institutions`, `boards`,
    `school_groups`: lists of rows; `provider`: a row) replace that kind, the others stay.
    A new user without a password gets an unusable one. Returns the user and whether it is new;
    WriteRefused for an unknown role or a password the validators refuse."""
    check_role(role)
    memberships = memberships or {}
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username)
    before = {} if created else {**_fields_of(user), **memberships_of(user)}
    user.role = role
    if email is not None:
        user.email = email
    user.is_staff = user.is_superuser = role == Role.ADMIN
    if "provider" in memberships:
        user.provider = memberships["provider"]
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise WriteRefused(" ".join(error.messages)) from error
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    for name in MANY_MEMBERSHIPS:
        if name in memberships:
            getattr(user, name).set(memberships[name])
    after = {**_fields_of(user), **memberships_of(user)}
    changes = {k: (before.get(k), v) for k, v in after.items() if created or before[k] != v}
    if password is not None:
        changes["password"] = (None, PASSWORD_SET)
    if changes or created:
        action = AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE
        audit(by, timezone.now(), action, User, user.username, changes)
    return user, created


def record_password_set(user: User, *, by: Any) -> None:
    """Record that a user's password was set (by the admin's password form), never what to."""
    audit(by, timezone.now(), AuditEntry.Action.UPDATE, User, user.username,
          {"password": (None, PASSWORD_SET)})


@transaction.atomic
def issue_token(user: User, name: str, *, by: Any) -> tuple[ApiToken, str]:
    """Make an API token for an active user; returns it and its secret, shown once and never
    recorded. WriteRefused for an inactive user or a name that is empty or too long."""
    if not user.is_active:
        raise WriteRefused(_("User %(name)r is not active.") % {"name": user.username})
    name = name.strip()
    if not name:
        raise WriteRefused(_("The token needs a --name saying what it is for."))
    if len(name) > (ApiToken._meta.get_field("name").max_length or 100):
        raise WriteRefused(_("The token name is longer than 100 characters."))
    token, secret = ApiToken.issue(user, name)
    audit(by, token.created_at, AuditEntry.Action.CREATE, ApiToken, token.prefix,
          {"user": (None, user.username), "name": (None, name)})
    return token, secret


@transaction.atomic
def revoke_tokens(tokens: QuerySet[ApiToken] | Iterable[ApiToken], *, by: Any) -> int:
    """Revoke the tokens not revoked yet (they stop working at once, and stay listed); how
    many. A token revoked twice at once is revoked and recorded once."""
    now = timezone.now()
    revoked = 0
    for token in tokens:
        if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
            token.revoked_at = now
            audit(by, now, AuditEntry.Action.UPDATE, ApiToken, token.prefix,
                  {"revoked_at": (None, now)})
            revoked += 1
    return revoked
