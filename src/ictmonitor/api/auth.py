"""Who is calling the API: a Bearer token (programs) or the browser's Django session.

Every operation accepts either. The user found is `request.auth` (ninja's name) and also
`request.auth_user`; views call `auth_user(request)` to get it typed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from ictmonitor.accounts.models import ApiToken, User

# A secret is `ictm_` + 8 hex + `_` + 43 URL-safe characters; anything much longer is not one.
MAX_SECRET_LENGTH = 200


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer ictm_...`, a token made with `ictmonitor token create`."""

    openapi_bearerFormat = "ictm_<prefix>_<secret>"
    openapi_description = (
        "An API token, made with `ictmonitor token create USERNAME --name NAME`, sent as "
        "`Authorization: Bearer ictm_...`. For providers' feeds and integrations."
    )

    def __call__(self, request: HttpRequest) -> User | None:
        """The user of the Bearer token in the Authorization header, or None."""
        # Not HttpBearer's: in DEBUG it logs whole unexpected headers, passwords and all.
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        """The token's active user, or None."""
        if not token or len(token) > MAX_SECRET_LENGTH or "\x00" in token:
            return None
        user = ApiToken.authenticate(token)
        if user is not None:
            request.auth_user = user  # type: ignore[attr-defined]
        return user


class BrowserSessionAuth(SessionAuth):
    """The session cookie of a user logged in on the site; unsafe methods also need CSRF."""

    openapi_description = (
        "The session cookie of a user logged in on the site. Requests other than GET, HEAD "
        "and OPTIONS must also send the CSRF token in the `X-CSRFToken` header."
    )

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        """The logged-in user, or None."""
        # Session keys are lower-case letters and digits; anything else never reaches the
        # session table (PostgreSQL errors on NUL bytes).
        if not key or len(key) > 64 or not (key.isascii() and key.isalnum()):
            return None
        user = super().authenticate(request, key)
        if user is not None:
            request.auth_user = user  # type: ignore[attr-defined]
        return user


api_auth = [ApiTokenAuth(), BrowserSessionAuth()]


def auth_user(request: HttpRequest) -> User:
    """The user an authenticated API request acts as."""
    return request.auth  # type: ignore[attr-defined,no-any-return]
