"""Who may see what. Every view declares its rule with `@access`; every object fetch goes here.

A view without an access rule fails the URL-walking test (tests/test_access_rules.py), so no
page can leak by being forgotten.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ictmonitor.core.access import access
from ictmonitor.core.roles import AGENTS, EVERY_ROLE, PUBLIC, SEES_EVERY_SCHOOL, Role, role_of
from ictmonitor.registry.models import Institution, Location

# The roles and @access are declared in core (core/roles.py, core/access.py); views find them
# here, beside what a user may see.
__all__ = ["AGENTS", "EVERY_ROLE", "PUBLIC", "SEES_EVERY_SCHOOL", "Role", "access", "role_of",
           "access_institution", "import_scope", "institution_filter", "may_see_pupils",
           "visible_institutions", "visible_jobs", "visible_rows"]


def institution_filter(user: Any) -> Q:
    """The condition on Institution rows this user may see."""
    role = role_of(user)
    if role in SEES_EVERY_SCHOOL:
        return Q()
    if role == Role.COORDINATOR:
        return Q(pk__in=user.institutions.values("pk"))
    if role == Role.BOARD:
        return Q(board__in=user.boards.all()) | Q(school_group__in=user.school_groups.all())
    if role == Role.PROVIDER and user.provider_id:
        # A provider sees the schools its own lines serve, and nothing else.
        served = Location.objects.filter(lines__provider_id=user.provider_id)
        return Q(pk__in=served.values("institution_id"))
    return Q(pk__in=[])


def visible_institutions(user: Any) -> QuerySet[Institution]:
    """The institutions this user may see."""
    return Institution.objects.filter(institution_filter(user))


def visible_rows(user: Any, rows: QuerySet[Any], institution: str) -> QuerySet[Any]:
    """A provider's rows (lines, requests, voucher codes) as this user may see them: the
    department all, a provider its own (`provider_id`), a school's people those of their
    institutions (reached through the `institution` path), anyone else none."""
    role = role_of(user)
    if role in SEES_EVERY_SCHOOL:
        return rows
    if role == Role.PROVIDER:
        return rows.filter(provider_id=user.provider_id) if user.provider_id else rows.none()
    if role in (Role.COORDINATOR, Role.BOARD):
        return rows.filter(**{f"{institution}__in": visible_institutions(user)})
    return rows.none()


def import_scope(user: Any, *, provider_feed: bool) -> str | None:
    """Whose rows an import by this user may write, decided here once for every upload path:
    None for every row (the department), a provider's code for its own rows only (a provider's
    feed); PermissionDenied for anyone else, a provider not linked to one included."""
    role = role_of(user)
    if role in SEES_EVERY_SCHOOL:
        return None
    if provider_feed and role == Role.PROVIDER and user.provider_id:
        return str(user.provider_id)
    raise PermissionDenied


def visible_jobs(user: Any, jobs: QuerySet[Any]) -> QuerySet[Any]:
    """Background jobs as this user may see them: the department every one, anyone else the
    jobs they started."""
    role = role_of(user)
    if role in SEES_EVERY_SCHOOL:
        return jobs
    if role is None:
        return jobs.none()
    return jobs.filter(user=user)


def access_institution(user: Any, number: str) -> Institution:
    """The institution with this number if the user may see it; else 404 (no existence leak)."""
    institution = (
        visible_institutions(user)
        .select_related("board", "school_group", "network")
        .filter(number=number)
        .first()
    )
    if institution is None:
        raise Http404("No such institution")
    return institution


def may_see_pupils(user: Any) -> bool:
    """Pupil counts are for the department and the school's own people, never for providers."""
    return role_of(user) in {Role.ANALYST, Role.ADMIN, Role.BOARD, Role.COORDINATOR}

