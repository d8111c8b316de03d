"""PDFs through WeasyPrint (action plan, certificate, policy documents, history) and the
certificate's QR code, made offline with segno. Nothing is fetched from the network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from ictmonitor.core.pdf import html_to_pdf

STATIC = Path(__file__).resolve().parent / "static" / "assessment"


def qr_data_uri(url: str) -> str:
    """A QR code pointing to `url`, as an SVG data: URI (medium error correction)."""
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def render_pdf(template: str, context: dict[str, Any], language: str) -> bytes:
    """A template rendered in a language as an A4 PDF, with the app's print stylesheet."""
    with translation.override(language):
        html = render_to_string(template, {
            **context, "language": language,
            "created": timezone.localtime().isoformat(timespec="seconds")})
    return html_to_pdf(html, STATIC)

