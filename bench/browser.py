"""A person's browser for the load benchmarks: cookies, the CSRF token, timed requests that
never follow a redirect (the POST itself is what a person waits for)."""

from __future__ import annotations

import http.cookiejar
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Time each request itself: do not follow its redirect."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        """Never follow."""
        return None


class Browser:
    """Cookies and timed requests against one loopback server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect())

    def set_session(self, session: str) -> None:
        """Act as an already signed-in session."""
        self.jar.set_cookie(http.cookiejar.Cookie(
            0, "sessionid", session, None, False, "127.0.0.1", False, False, "/", True, False,
            None, False, None, None, {}))

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, float]:
        """GET, or POST with the CSRF token; status (0 when no answer came), body and
        seconds (60 s at most)."""
        body = None
        request = urllib.request.Request(  # noqa: S310 - the loopback http:// server only
            self.base + path, method="POST" if data is not None else "GET")
        if data is not None:
            token = self._csrf()
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
            request.add_header("X-CSRFToken", token)
            request.add_header("Referer", self.base + path)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        start = time.perf_counter()
        try:
            with self.opener.open(request, body, timeout=60) as answer:
                content, status = answer.read(), answer.status
        except urllib.error.HTTPError as error:
            content, status = error.read(), error.code
        except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
            content, status = repr(error).encode(), 0
        return status, content, time.perf_counter() - start
