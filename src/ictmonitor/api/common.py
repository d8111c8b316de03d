"""What every app's API router shares: error bodies, the documented error codes, pagination.

An app's `api.py` declares `response={200: ..., **errors(404)}` so that every status the
operation can answer with is in the OpenAPI schema (schemathesis checks that).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BeforeValidator

from ictmonitor.core.translation import asked_language

# Text parameters reach the database: PostgreSQL refuses NUL characters in text (a 500), so
# the schema forbids them and pydantic answers 422 before a query is made.
NO_NUL = r"^[^\x00]*$"
# Codes of reference rows (provinces, municipalities, boards, networks): letters, digits, - and _.
CODE = r"^[-\w]+$"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_only(value: object) -> object:
    """A date given as YYYY-MM-DD passes on to be parsed; anything else is refused, notably
    the numbers pydantic would read as seconds since 1970 (`?active_on=0` as 1 January 1970)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise ValueError("expected a date as YYYY-MM-DD, e.g. 2026-09-01")


# Every date the API takes, in a query or a body: an ISO date only, else 422.
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]

MAX_LIMIT = 500


def api_language(request: HttpRequest) -> str:
    """The language the API words its messages in (a refused file's problems, a refused
    upload): English, or Dutch when the request's Accept-Language asks for it."""
    return asked_language(request.headers.get("Accept-Language", ""))
MAX_OFFSET = 1_000_000_000


class ErrorOut(Schema):
    """An error: 401 (no or bad credentials), 403, 404 (unknown or not yours)."""

    detail: str = Field(description="What went wrong, in a sentence.")


class ValidationErrorOut(Schema):
    """A 422: the request's parameters or body do not fit the schema."""

    detail: list[dict[str, Any]] = Field(
        description="One entry per problem, with `loc` (where), `msg` (what) and `type`."
    )


def errors(*extra: int) -> dict[int, type[Schema]]:
    """The error responses of an authenticated operation (401, 422) plus the extra codes given."""
    codes: dict[int, type[Schema]] = {401: ErrorOut, 422: ValidationErrorOut}
    for code in extra:
        codes[code] = ValidationErrorOut if code == 422 else ErrorOut
    return dict(sorted(codes.items()))


class Pagination(LimitOffsetPagination):
    """limit/offset pages with the total `count`; at most 500 items a page."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="Items per page (1-500).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

