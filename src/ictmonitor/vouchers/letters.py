"""The letter a pupil takes home: one A4 page per code, with how to activate it; no name.

Rendered with WeasyPrint like the reports' PDFs: local files only, nothing from the network.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from ictmonitor.vouchers.models import Voucher

LOCAL_ONLY = ("data", "file")


def render_letters(vouchers: Sequence[Voucher], school: Any, language: str) -> bytes:
    """One PDF with a page per code, in Dutch or English."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string("vouchers/letters.html", {
            "letters": [{"voucher": v, "end": v.end} for v in vouchers],
            "school": school, "language": language,
        })
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()


@functools.cache
def _fetcher() -> Any:
    """A fetcher for data: and file: URLs only."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=LOCAL_ONLY)
