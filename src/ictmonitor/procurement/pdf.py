"""A scenario as an A4 PDF through WeasyPrint: inputs, findings, chart, yearly table, sensitivity
and assumptions. Nothing is fetched from the network: the chart is a data: URI, the stylesheet
and fonts are local."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from ictmonitor.core.pdf import html_to_pdf
from ictmonitor.procurement.model import Scenario
from ictmonitor.procurement.presentation import inputs, results

STATIC = Path(__file__).resolve().parent / "static" / "procurement"


def render_pdf(scenario: Scenario, language: str = "nl") -> bytes:
    """The scenario's outcome as an A4 PDF in a language (Dutch unless English is asked)."""
    now = timezone.localtime()
    with translation.override(language):
        html = render_to_string("procurement/pdf.html", {
            "language": language, "inputs": inputs(scenario, language),
            "results": results(scenario, language),
            "generated": date_format(now, "DATETIME_FORMAT", use_l10n=True),
            "created": now.isoformat(timespec="seconds"),
        })
    return html_to_pdf(html, STATIC)


def file_name(scenario: Scenario) -> str:
    """`tariff-sivon-2018-2026-11-22.pdf`."""
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in scenario.name.lower())
    return "-".join(p for p in ("tariff", stem.strip("-"),
                                timezone.localdate().isoformat()) if p) + ".pdf"

