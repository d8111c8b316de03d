"""A LibreSpeed-compatible speed-test server (the protocol of LibreSpeed's garbage.php,
empty.php and getIP.php), so a self-hosted ictmonitor needs no third party to measure against.

- `garbage?ckSize=N`: N chunks of 1 MiB of incompressible bytes (4 if not given, at most
  SPEEDTEST_MAX_CHUNKS), streamed from one chunk made at start: never held N times in memory.
- `empty`: answers at once, with nothing; a POST's body is read and thrown away in small pieces
  (the upload test), up to SPEEDTEST_MAX_UPLOAD_BYTES; no CSRF (no session acts here).
- `getIP`: the caller's public address as LibreSpeed's JSON (`processedString`, `rawIspInfo`);
  behind a reverse proxy the address its proxies wrote (ICTMONITOR_PROXY_COUNT), as login
  throttling reads it. The agent tells primary from backup line by it.

Reached by agents (and any LibreSpeed client), not people: `@access(AGENTS)`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ictmonitor.accounts.access import AGENTS, access

CHUNK = 1024 * 1024
DEFAULT_CHUNKS = 4
_GARBAGE = os.urandom(CHUNK)
NO_CACHE = {
    "Cache-Control": "no-store, no-cache, must-revalidate, max-age=0, s-maxage=0",
    "Pragma": "no-cache",
}


def max_chunks() -> int:
    return int(getattr(settings, "SPEEDTEST_MAX_CHUNKS", 100))


def max_upload() -> int:
    return int(getattr(settings, "SPEEDTEST_MAX_UPLOAD_BYTES", 64 * CHUNK))


def _headers(response: HttpResponse | StreamingHttpResponse, request: HttpRequest) -> None:
    for name, value in NO_CACHE.items():
        response[name] = value
    if "cors" in request.GET:  # LibreSpeed's clients ask with ?cors=true for another origin
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, POST"
        response["Access-Control-Allow-Headers"] = "Content-Encoding, Content-Type"


def chunks_asked(request: HttpRequest) -> int:
    """The number of 1 MiB chunks asked for (ckSize), bounded to 1…SPEEDTEST_MAX_CHUNKS."""
    try:
        asked = int(request.GET.get("ckSize", DEFAULT_CHUNKS))
    except ValueError:
        asked = DEFAULT_CHUNKS
    return max(1, min(asked, max_chunks()))


def _stream(count: int) -> Iterator[bytes]:
    for _ in range(count):
        yield _GARBAGE


@access(AGENTS)  # type: ignore[arg-type]  # streamed: access's View names HttpResponse
@require_http_methods(["GET", "HEAD"])
def garbage(request: HttpRequest) -> StreamingHttpResponse:
    """ckSize chunks of 1 MiB for the download test."""
    count = chunks_asked(request)
    response = StreamingHttpResponse(_stream(count), content_type="application/octet-stream")
    response["Content-Length"] = str(count * CHUNK)
    response["Content-Disposition"] = "attachment; filename=random.dat"
    response["Content-Transfer-Encoding"] = "binary"
    _headers(response, request)
    return response


@csrf_exempt
@access(AGENTS)
@require_http_methods(["GET", "HEAD", "POST", "OPTIONS"])
def empty(request: HttpRequest) -> HttpResponse:
    """Nothing, at once (the ping test); a POST's body read and dropped (the upload test)."""
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:  # a length that is not a number: no body to read
            return HttpResponse(status=400)
        if length > max_upload():
            return HttpResponse(status=413)
        while request.read(64 * 1024):
            pass
    # No Connection header: WSGI leaves hop-by-hop headers to the server (keep-alive is its own).
    response = HttpResponse(b"", content_type="text/plain")
    _headers(response, request)
    return response


@access(AGENTS)
@require_http_methods(["GET", "HEAD"])
def get_ip(request: HttpRequest) -> HttpResponse:
    """The caller's public address, as LibreSpeed's getIP answers it (no ISP look-up)."""
    address = get_client_ip_address(request) or ""
    body = json.dumps({"processedString": address, "rawIspInfo": ""})
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    _headers(response, request)
    return response
