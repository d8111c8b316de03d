"""The letter a pupil takes home: one A4 page per code, with how to activate it; no name.

Rendered with WeasyPrint like the reports' PDFs: local files only, nothing from the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from ictmonitor.core.pdf import html_to_pdf
from ictmonitor.vouchers.models import Voucher


def render_letters(vouchers: Sequence[Voucher], school: Any, language: str) -> bytes:
    """One PDF with a page per code, in Dutch or English."""
    with translation.override(language):
        html = render_to_string("vouchers/letters.html", {
            "letters": [{"voucher": v, "end": v.end} for v in vouchers],
            "school": school, "language": language,
        })
    return html_to_pdf(html)

