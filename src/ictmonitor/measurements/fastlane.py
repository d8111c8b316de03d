"""The measuring agents' posts in a lane of their own, in front of Django's middleware stack.

Agents post at the quarter hours, many at the same instant (issue 16: 200 at once, p95 under
200 ms), with a device token and no session, cookie or form; for such a post the session,
locale, CSRF, messages, login-throttling and idle-timeout middleware, the URL resolution and
ninja's parsing and answer validation cost more CPU than the post's own work. So this
middleware, first in MIDDLEWARE, answers a well-formed post to `POST
/api/v1/measurements/batches` itself, through the same work as the API operation
(`api.answer_batch`: the token as DeviceTokenAuth reads it, `ingest.receive`, the same answer):

- the host must be one ALLOWED_HOSTS names, and a plain-HTTP post is not answered here when
  SECURE_SSL_REDIRECT asks for HTTPS (SecurityMiddleware's own check);
- the token must be a device's, in force (read at each post: a revoked token is refused at
  once);
- the body must be JSON of the operation's shape: an object with `measurements`, a list of at
  most MAX_BATCH items (each item is then checked as every post's are).

Anything else (another path or method, no or a wrong token, a body that is not a batch, a host
not allowed) goes on through the whole stack, which answers it exactly as before (401, 422,
400, the redirect). The answer carries its Content-Length (as CommonMiddleware sets it: without
it a server closes or holds the connection) and the headers SecurityMiddleware and
XFrameOptionsMiddleware set. The OpenAPI description is the operation's, unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware

from ictmonitor.measurements.api import DeviceTokenAuth, answer_batch
from ictmonitor.measurements.ingest import MAX_BATCH
from ictmonitor.measurements.models import DeviceToken

BATCHES = "/api/v1/measurements/batches"


class AgentsFastLane:
    """Answer a device's well-formed batch post here; pass everything else on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.security = SecurityMiddleware(get_response)
        self.frames = XFrameOptionsMiddleware(get_response)
        self.authenticate = DeviceTokenAuth()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info == BATCHES:
            answered = self._answer(request)
            if answered is not None:
                return answered
        return self.get_response(request)

    def _answer(self, request: HttpRequest) -> HttpResponse | None:
        """The answer to a post this lane may take, or None (the stack answers it)."""
        if self.security.process_request(request) is not None:  # HTTPS asked for
            return None
        try:
            request.get_host()
        except DisallowedHost:
            return None
        token: DeviceToken | None = self.authenticate(request)
        if token is None:
            return None
        items = _batch_items(request)
        if items is None:
            return None
        response = answer_batch(request, token, items)
        response.headers["Content-Length"] = str(len(response.content))  # as CommonMiddleware
        response = self.security.process_response(request, response)
        return self.frames.process_response(request, response)


def _batch_items(request: HttpRequest) -> list[Any] | None:
    """The batch's items when the body is the operation's shape, else None."""
    if not request.content_type or request.content_type != "application/json":
        return None
    try:
        found = json.loads(request.body)  # kept on the request: the stack reads it again
    except (RequestDataTooBig, ValueError, RecursionError):
        return None
    if not isinstance(found, dict):
        return None
    items = found.get("measurements")
    if type(items) is not list or len(items) > MAX_BATCH:
        return None
    return items
