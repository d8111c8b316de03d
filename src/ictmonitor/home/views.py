"""Each role's home: /home/ sends a signed-in user to its own (settings.LOGIN_REDIRECT_URL)."""

from __future__ import annotations

import io
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import (
    EVERY_ROLE,
    Role,
    access,
    access_institution,
    role_of,
    visible_institutions,
)
from ictmonitor.assessment import selectors as assessment
from ictmonitor.core.safecsv import csv_writer
from ictmonitor.core.translation import language
from ictmonitor.core.workbook import table_workbook
from ictmonitor.home import board as matrix
from ictmonitor.home.analyst import key_figures
from ictmonitor.home.forms import MatrixFilter
from ictmonitor.home.provider import provider_home
from ictmonitor.home.school import school_home

PAGE_SIZE = 25
DOWNLOADS = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@access(*EVERY_ROLE)
def start(request: HttpRequest) -> HttpResponse:
    """Where a signed-in user lands (settings.LOGIN_REDIRECT_URL): the home of its role."""
    homes = {Role.COORDINATOR: my_school, Role.BOARD: board, Role.PROVIDER: provider,
             Role.ANALYST: analyst, Role.ADMIN: analyst}
    return homes[Role(str(role_of(request.user)))](request)  # @access: a role, never None


@access(Role.COORDINATOR, Role.BOARD)
def my_school(request: HttpRequest) -> HttpResponse:
    """The coordinator's school; with several, the list to choose from."""
    schools = list(visible_institutions(request.user).order_by("name", "number"))
    if len(schools) == 1:
        return _school_page(request, schools[0].number)
    return render(request, "home/schools.html", {"schools": schools})


@access(Role.COORDINATOR, Role.BOARD)
def school(request: HttpRequest, number: str) -> HttpResponse:
    """One school's home: its lines, safety, requests, incidents, and what to do next."""
    return _school_page(request, number)


def _school_page(request: HttpRequest, number: str) -> HttpResponse:
    institution = access_institution(request.user, number)
    home = school_home(request.user, institution)
    return render(request, "home/school.html", {
        "home": home, "institution": institution,
        "areas": assessment.area_titles(language()),
        "level_titles": assessment.level_titles(language()),
        "is_coordinator": role_of(request.user) == Role.COORDINATOR,
    })


@access(Role.BOARD)
def board(request: HttpRequest) -> HttpResponse:
    """The board's matrix of its schools: filtered, sorted, a page at a time or downloaded."""
    modules = matrix.key_modules()
    form, everything, found, by, descending = _matrix(request, modules)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = [(key, value) for key, values in request.GET.lists() for value in values
            if key not in ("page", "sort", "order")]
    return render(request, "home/board.html", {
        "form": form, "page": page, "rows": page.object_list, "modules": modules,
        "areas": assessment.area_titles(language()),
        "level_titles": assessment.level_titles(language()),
        "all": matrix.summary(everything), "shown": matrix.summary(found),
        "filtered": len(found) != len(everything) or bool(request.GET.get("q")),
        "columns": _columns(modules, kept, by, descending),
        "query": urlencode(kept), "sort_query": urlencode([*kept, ("sort", by),
                                                           ("order", "desc" if descending
                                                            else "asc")]),
    })


def _matrix(request: HttpRequest, modules: list[matrix.KeyModule],
            ) -> tuple[MatrixFilter, list[matrix.MatrixRow], list[matrix.MatrixRow], str, bool]:
    """The filter form, every row, the rows it lets through in the order asked, the column
    sorted by and whether descending: the page and its downloads alike."""
    form = MatrixFilter(request.GET, modules=modules)
    today = timezone.localdate()
    everything = matrix.matrix(request.user, today)
    by = request.GET.get("sort", "school")
    by = by if by in matrix.sort_codes() else "school"
    descending = request.GET.get("order") == "desc"
    found = matrix.sorted_rows(matrix.narrowed(everything, form.filters(), today), by,
                               descending)
    return form, everything, found, by, descending


def _columns(modules: list[matrix.KeyModule], kept: list[tuple[str, str]], by: str,
             descending: bool) -> list[dict[str, Any]]:
    """The matrix's columns in order: title, the link that sorts by it (the other way round
    when it is the sorted one) and its aria-sort."""
    named = [("school", _("School")), ("line", _("Line")),
             *[(f"module-{m.code}", m.name) for m in modules],
             ("measured", _("Measured")), ("standard", _("Standard")),
             *[(f"area-{code}", title) for code, title in assessment.area_titles(language())],
             ("label", _("Label")), ("plan", _("Plan"))]
    columns = []
    for code, title in named:
        current = code == by
        order = "asc" if current and descending else ("desc" if current else "asc")
        columns.append({
            "code": code, "title": title,
            "url": "?" + urlencode([*kept, ("sort", code), ("order", order)]),
            "aria_sort": ("descending" if descending else "ascending") if current else "",
        })
    return columns


@access(Role.BOARD)
def board_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The board's matrix as CSV or XLSX: every row the page's filter and order give."""
    found = _matrix(request, matrix.key_modules())[2]
    headers, table = matrix.export_table(found)
    title = _("Our schools")
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv_writer(out)
        writer.writerow(headers)
        writer.writerows(table)
        body: bytes = out.getvalue().encode("utf-8-sig")
    else:
        body = table_workbook(title, headers, table)
    response = HttpResponse(body, content_type=DOWNLOADS[fmt])
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="schools-{day}.{fmt}"'
    return response


@access(Role.PROVIDER)
def provider(request: HttpRequest) -> HttpResponse:
    """The provider's home: queue, feeds, jobs, scorecard and vouchers."""
    return render(request, "home/provider.html", {"home": provider_home(request.user)})


@access(Role.ANALYST, Role.ADMIN)
def analyst(request: HttpRequest) -> HttpResponse:
    """The analysts' dashboard: key figures as shares of all schools, their trend, the reports."""
    figures = key_figures()
    return render(request, "home/analyst.html", {
        "figures": figures, "days": [point.day for point in figures[0].points] if figures else [],
        "reports_url": reverse("reports:dashboard"),
    })
