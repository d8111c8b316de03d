"""What the assessment's views share: who may read and write, ids from the query, PDF answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from ictmonitor.accounts.access import Role, role_of
from ictmonitor.assessment import presentation, selectors

# The school's own people and the department read; the school's coordinator answers and acts.
READERS = (Role.COORDINATOR, Role.BOARD, Role.ANALYST, Role.ADMIN)
EDITORS = (Role.COORDINATOR, Role.ADMIN)
REVOKERS = (Role.ANALYST, Role.ADMIN)


def may_edit(user: Any) -> bool:
    """Whether the user answers, submits and works the plan for the schools they may see."""
    return role_of(user) in EDITORS


def require_edit(user: Any) -> None:
    """Refuse a write by anyone but the school's coordinator (or an administrator)."""
    if not may_edit(user):
        raise PermissionDenied


def school_context(request: HttpRequest, institution: Any, **extra: Any) -> dict[str, Any]:
    """The context every school page has: the school, whether the user may edit, language."""
    return {"institution": institution, "may_edit": may_edit(request.user),
            "may_revoke": role_of(request.user) in REVOKERS, "lang": presentation.language(),
            "framework": selectors.current_framework(), **extra}


def pdf_response(data: bytes, name: str) -> HttpResponse:
    """A PDF shown in the browser, saved under `name`."""
    response = HttpResponse(data, content_type="application/pdf")
    disposition = content_disposition_header(False, name)
    if disposition is not None:  # None only for an empty name (no caller gives one)
        response["Content-Disposition"] = disposition
    return response


def is_autosave(request: HttpRequest) -> bool:
    """Whether the request is the answer page's autosave (it wants JSON, not a page)."""
    return request.headers.get("X-Autosave") == "1"
