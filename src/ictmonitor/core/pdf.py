"""HTML to an A4 PDF through WeasyPrint, for every app: local files and data: URIs only, so
nothing is ever fetched from the network."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

LOCAL_ONLY = ("data", "file")


def html_to_pdf(html: str, static: Path | None = None) -> bytes:
    """The HTML as a PDF; with `static`, its relative URLs and `print.css` come from there."""
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    if static is None:
        return HTML(string=html, url_fetcher=fetcher).write_pdf()
    document = HTML(string=html, base_url=str(static) + "/", url_fetcher=fetcher)
    stylesheet = CSS(filename=str(static / "print.css"), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


@functools.cache
def _fetcher() -> Any:
    """One fetcher for data: and file: URLs only (making one costs an SSL context)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=LOCAL_ONLY)
