"""`@access`: the rule every view declares, naming the roles (core/roles.py) that may open it.

A view without an access rule fails the URL-walking test (tests/test_access_rules.py), so no
page can leak by being forgotten. What a user may see inside a page is accounts/access.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ictmonitor.core.roles import AGENTS, PUBLIC

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
