"""PDFs through WeasyPrint (action plan, certificate, policy documents, history) and the
certificate's QR code, made offline with segno. Nothing is fetched from the network."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

STATIC = Path(__file__).resolve().parent / "static" / "assessment"
LOCAL_ONLY = ("data", "file")


def qr_data_uri(url: str) -> str:
    """A QR code pointing to `url`, as an SVG data: URI (medium error correction)."""
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def render_pdf(template: str, context: dict[str, Any], language: str) -> bytes:
    """A template rendered in a language as an A4 PDF, with the app's print stylesheet."""
    from weasyprint import CSS, HTML

    with translation.override(language):
        html = render_to_string(template, {
            **context, "language": language,
            "created": timezone.localtime().isoformat(timespec="seconds")})
    fetcher = _fetcher()
    document = HTML(string=html, base_url=str(STATIC) + "/", url_fetcher=fetcher)
    stylesheet = CSS(filename=str(STATIC / "print.css"), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


@functools.cache
def _fetcher() -> Any:
    """One fetcher for data: and file: URLs only (making one costs an SSL context)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=LOCAL_ONLY)
