"""Plain HTTP(S) connections to the speed-test server and to ictmonitor (http.client)."""

from __future__ import annotations

import http.client
import ssl
import urllib.parse
from typing import Union

Connection = Union[http.client.HTTPConnection, http.client.HTTPSConnection]


def connect(url: str, timeout: float) -> tuple[Connection, str]:
    """A connection to the URL's host and the URL's path (with its query), ready to send."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl.create_default_context()), path
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout), path


def join(base: str, name: str) -> str:
    """`name` under the base URL (which ends in / or gets one)."""
    return base if not name else (base if base.endswith("/") else base + "/") + name


def with_query(url: str, query: str) -> str:
    """The URL with `query` added to its query string."""
    return url + ("&" if "?" in url else "?") + query
