"""The map of schools: the analysts' (any day, every status) and the public one (release dates
only, the public statuses), each with its table and a CSV of every location."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import PUBLIC, Role, access
from ictmonitor.core.safecsv import csv_writer
from ictmonitor.core.translation import language
from ictmonitor.reports.maps import PUBLIC_STATUSES, STATUSES, SchoolMap, school_map, table_rows
from ictmonitor.reports.mapsvg import svg
from ictmonitor.reports.selectors import release_dates

ANALYST_STATUSES = tuple(STATUSES)
SCHOOLS_PER_PAGE = 100


def _status(request: HttpRequest, allowed: tuple[str, ...]) -> str:
    chosen = request.GET.get("status", "")
    return chosen if chosen in allowed else allowed[0]


def _analyst_day(request: HttpRequest) -> tuple[date, str | None]:
    text = request.GET.get("at", "")
    if not text:
        return timezone.localdate(), None
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        return timezone.localdate(), _("%(text)s is not a date (YYYY-MM-DD); today is shown.") % {
            "text": text}
    return day, None


def _release_day(request: HttpRequest, releases: list[date]) -> tuple[date | None, str | None]:
    text = request.GET.get("on", "")
    if not releases:
        return None, None
    if not text:
        return releases[-1], None
    chosen = next((day for day in releases if day.isoformat() == text), None)
    if chosen is None:
        return releases[-1], _("%(text)s is not a release; the latest release is shown.") % {
            "text": text}
    return chosen, None


def _page(request: HttpRequest, found: SchoolMap | None, statuses: tuple[str, ...], *,
          public_site: bool, problem: str | None, releases: list[date] | None = None
          ) -> HttpResponse:
    context: dict[str, Any] = {"public_site": public_site, "problem": problem, "found": found,
               "statuses": [(code, STATUSES[code]) for code in statuses],
               "releases": list(reversed(releases or []))}
    if found is not None:
        status_name = STATUSES[found.status]
        title = _("Schools by %(status)s on %(date)s") % {
            "status": str(status_name).lower(), "date": found.day.isoformat()}
        context |= {
            "title": title,
            "status_name": status_name,
            "map": svg(found, title, _(
                "%(drawn)s locations drawn as dots, coloured by %(status)s; the table below the "
                "map gives the count per province and colour.")
                % {"drawn": found.drawn, "status": str(status_name).lower()}
                + (" " + _("Squares: Dutch locations placed at the centre of their postcode or "
                           "municipality.") if found.drawn > found.own else "")),
            "rows": table_rows(found),
            "schools": _schools_page(request, found),
            "totals": [found.total(c.code) for c in found.categories],
            "legend": [(c, found.total(c.code)) for c in found.categories],
            "query": f"status={found.status}&"
                     + (f"on={found.day.isoformat()}" if public_site
                        else f"at={found.day.isoformat()}"),
        }
    return render(request, "reports/map.html", context)


def _schools_page(request: HttpRequest, found: SchoolMap) -> Any:
    """One page of the locations themselves, each with its status in words (the map, dot by
    dot, for who cannot see it)."""
    names = {c.code: c.name for c in found.categories}
    page = Paginator(found.points, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    page.rows = [  # type: ignore[attr-defined]
        (p, found.province_names.get(p.province, ""), names.get(p.category, ""))
        for p in page.object_list]
    return page


@access(Role.ANALYST, Role.ADMIN)
def analyst_map(request: HttpRequest) -> HttpResponse:
    """Every school on a day, coloured by offer, label or measured quality."""
    day, problem = _analyst_day(request)
    found = school_map(_status(request, ANALYST_STATUSES), day, language())
    return _page(request, found, ANALYST_STATUSES, public_site=False, problem=problem)


@access(PUBLIC)
def public_map(request: HttpRequest) -> HttpResponse:
    """Every school on a release date, coloured by offer or label."""
    releases = release_dates()
    day, problem = _release_day(request, releases)
    found = (school_map(_status(request, PUBLIC_STATUSES), day, language())
             if day is not None else None)
    return _page(request, found, PUBLIC_STATUSES, public_site=True, problem=problem,
                 releases=releases)


def _csv(found: SchoolMap) -> HttpResponse:
    names = {c.code: c.name for c in found.categories}
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["school", "name", "location", "place", "province", found.status,
                     "longitude", "latitude", "position"])
    for p in found.points:
        writer.writerow([p.institution, p.name, p.location, p.place, p.province,
                         names.get(p.category, p.category),
                         round(p.lon, 6) if p.lon is not None else "",
                         round(p.lat, 6) if p.lat is not None else "", p.placed])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"school-map-{found.status}-{found.day.isoformat()}.csv")
    return response


@access(Role.ANALYST, Role.ADMIN)
def analyst_map_csv(request: HttpRequest) -> HttpResponse:
    """The analysts' map as a CSV: every location with its status and coordinates."""
    day, _problem = _analyst_day(request)
    return _csv(school_map(_status(request, ANALYST_STATUSES), day, language()))


@access(PUBLIC)
def public_map_csv(request: HttpRequest) -> HttpResponse:
    """The public map of a release as a CSV."""
    day, _problem = _release_day(request, release_dates())
    if day is None:
        return HttpResponse(_("Nothing has been published yet."), status=404,
                            content_type="text/plain; charset=utf-8")
    return _csv(school_map(_status(request, PUBLIC_STATUSES), day, language()))
