"""Template tags for report outputs: `{% report_table result language as table %}`, and on a
report page one searchable page of it, `{% report_table_page result language as page %}`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django import template
from django.http import QueryDict

from ictmonitor.core.ids import parsed_id
from ictmonitor.reports.definitions import Result
from ictmonitor.reports.formatting import Table, table

register = template.Library()


@register.simple_tag
def report_table(result: Result, language: str | None = None) -> Table:
    """The result laid out as a table in a language, for reports/_table.html."""
    return table(result, language or None)


TABLE_PAGE_ROWS = 100  # rows of a report table per page on screen (a school per row: thousands)


@dataclass
class TablePage:
    """One page of a report table on screen, its rows found by a search of their labels: the
    totals stay those of the whole table."""

    table: Table
    search: str
    number: int
    pages: int
    matched: int
    previous_query: str
    next_query: str


@register.simple_tag(takes_context=True)
def report_table_page(context: dict[str, Any], result: Result,
                      language: str | None = None) -> TablePage:
    """The page of the result's table asked for (?table_page=N), its rows those whose labels
    contain ?table_search= (any case), for reports/_table.html on a report page."""
    whole = table(result, language or None)
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    search = (query.get("table_search") or "").strip()[:100]
    wanted = search.casefold()
    rows = [row for row in whole.rows
            if not wanted or any(wanted in label.casefold() for label in row[0])]
    pages = max(1, -(-len(rows) // TABLE_PAGE_ROWS))
    number = min(max(parsed_id(query.get("table_page")) or 1, 1), pages)
    shown = replace(whole, rows=rows[(number - 1) * TABLE_PAGE_ROWS:number * TABLE_PAGE_ROWS])

    def page_query(n: int) -> str:
        query["table_page"] = str(n)
        return query.urlencode()

    return TablePage(shown, search, number, pages, len(rows),
                     page_query(number - 1) if number > 1 else "",
                     page_query(number + 1) if number < pages else "")
