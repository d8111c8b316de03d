"""Template tags for report outputs: `{% report_table result language as table %}`."""

from __future__ import annotations

from django import template

from ictmonitor.reports.definitions import Result
from ictmonitor.reports.formatting import Table, table

register = template.Library()


@register.simple_tag
def report_table(result: Result, language: str | None = None) -> Table:
    """The result laid out as a table in a language, for reports/_table.html."""
    return table(result, language or None)
