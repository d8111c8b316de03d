"""URLs under /api/v1/: the API's operations, its OpenAPI schema, and JSON for anything else.

Views carry the `access_rule` the URL-walking test looks for: operations need an account
(ninja checks the token or session), the schema and the index are public.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path, re_path, reverse

from ictmonitor.accounts.access import EVERY_ROLE, PUBLIC, access
from ictmonitor.api.api import api

app_name = "api"


@access(PUBLIC)
def index(request: HttpRequest) -> JsonResponse:
    """Where the schema is."""
    return JsonResponse(
        {"title": api.title, "version": api.version, "openapi": reverse("api:openapi-json")}
    )


@access(PUBLIC)
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """A JSON 404 for any path under the API that is no operation."""
    return JsonResponse({"detail": "Not Found"}, status=404)


def _patterns() -> list[URLPattern | URLResolver]:
    """Ninja's URL patterns with their access rules; our index replaces ninja's root view."""
    patterns, _app, namespace = api.urls
    assert namespace == app_name, "NinjaAPI urls_namespace must match app_name"
    kept: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            if pattern.name == "api-root":
                continue
            public = pattern.name == "openapi-json"
            rule = frozenset({PUBLIC}) if public else EVERY_ROLE
            pattern.callback.access_rule = rule  # type: ignore[attr-defined]
        kept.append(pattern)
    return kept


urlpatterns = [
    *_patterns(),
    path("", index, name="api-root"),
    re_path(r"^(?P<rest>.*)$", not_found, name="not-found"),
]
