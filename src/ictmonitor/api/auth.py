"""Who is calling the API: a Bearer token (programs) or the browser's Django session.

Every operation accepts either. The user found is `request.auth` (ninja's name) and also
`request.auth_user`; views call `auth_user(request)` to get it typed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from ictmonitor.accounts.models import ApiToken, User


class QuietBearer(HttpBearer):
    """`Authorization: Bearer SECRET`, read without HttpBearer's own reading, which in DEBUG
    logs whole unexpected headers, passwords and all. Subclasses authenticate the secret."""

    def __call__(self, request: HttpRequest) -> Any:
        """What the Bearer secret in the Authorization header authenticates, or None."""
        scheme, _, secret = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, secret.strip())


class ApiTokenAuth(QuietBearer):
    """`Authorization: Bearer ictm_...`, a token made with `ictmonitor token create`."""

    openapi_bearerFormat = "ictm_<prefix>_<secret>"
    openapi_description = (
        "An API token, made with `ictmonitor token create USERNAME --name NAME`, sent as "
        "`Authorization: Bearer ictm_...`. For providers' feeds and integrations."
    )

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        """The token's active user, or None."""
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
