"""Who may see what. Every view declares its rule with `@access`; every object fetch goes here.

A view without an access rule fails the URL-walking test (tests/test_access_rules.py), so no
page can leak by being forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from ictmonitor.accounts.models import Role
from ictmonitor.registry.models import Institution

PUBLIC = "public"
# Reached by programs, not people: the measuring agents (the speed-test endpoints, open like
# LibreSpeed's; the ingest, which checks a device token itself). No account is asked for.
AGENTS = "agents"
EVERY_ROLE = frozenset(Role.values)
SEES_EVERY_SCHOOL = frozenset({Role.ANALYST, Role.ADMIN})

View = Callable[..., HttpResponse]


def access(*allowed: str) -> Callable[[View], View]:
    """Declare who may open a view: PUBLIC, or the roles allowed (EVERY_ROLE for any account)."""
    roles = frozenset(
        r for group in allowed for r in ([group] if isinstance(group, str) else group)
    )

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if PUBLIC not in roles and AGENTS not in roles:
                user = request.user
                if not user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if getattr(user, "role", None) not in roles:
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.access_rule = roles  # type: ignore[attr-defined]
        return guarded

    return decorate


def role_of(user: Any) -> str | None:
    """The user's role, or None for an anonymous visitor."""
    return getattr(user, "role", None) if user.is_authenticated else None


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
        from ictmonitor.connectivity.models import Subscription

        served = Subscription.objects.filter(provider_id=user.provider_id)
        return Q(pk__in=served.values("location__institution_id"))
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

