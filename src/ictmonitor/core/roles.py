"""The roles of ictmonitor's users, which every view's access rule names (core/access.py).

Core owns them so that every app, core's own pages included, can say who may open a view
without importing accounts; what a user may see inside a page (its memberships) is
accounts/access.py's.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user is to ictmonitor; access follows from it and the user's memberships."""

    ANALYST = "analyst", _("analyst")
    BOARD = "board", _("school board")
    COORDINATOR = "coordinator", _("school coordinator")
    PROVIDER = "provider", _("internet provider")
    ADMIN = "admin", _("administrator")


PUBLIC = "public"
# Reached by programs, not people: the measuring agents (the speed-test endpoints, open like
# LibreSpeed's; the ingest, which checks a device token itself). No account is asked for.
AGENTS = "agents"
EVERY_ROLE = frozenset(Role.values)
SEES_EVERY_SCHOOL = frozenset({Role.ANALYST, Role.ADMIN})

def role_of(user: Any) -> str | None:
    """The user's role, or None for an anonymous visitor."""
    return getattr(user, "role", None) if user.is_authenticated else None
