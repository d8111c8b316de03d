"""The registry's pages: the school finder, a school, and the national overview."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ictmonitor.accounts.access import (
    EVERY_ROLE,
    SEES_EVERY_SCHOOL,
    Role,
    access,
    access_institution,
    may_see_pupils,
    role_of,
)
from ictmonitor.registry import selectors
from ictmonitor.registry.forms import FinderForm

PAGE_SIZE = 50


@access(*EVERY_ROLE)
def finder(request: HttpRequest) -> HttpResponse:
    """Find the schools the user may see by name, number, level, province or municipality."""
    form = FinderForm(request.GET)
    found = selectors.find_institutions(request.user, **form.search())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/finder.html",
        {
            "form": form,
            "page": page,
            "searched": any(form.search().values()),
            "is_provider": role_of(request.user) == Role.PROVIDER,
            "sees_every_school": role_of(request.user) in SEES_EVERY_SCHOOL,
        },
    )


@access(*EVERY_ROLE)
def school(request: HttpRequest, number: str) -> HttpResponse:
    """One institution with its locations and, for those who may, its pupils."""
    institution = access_institution(request.user, number)
    show_pupils = may_see_pupils(request.user)
    return render(
        request,
        "registry/school.html",
        {
            "institution": institution,
            "province": selectors.province_name(institution.province),
            "locations": selectors.school_locations(institution),
            "show_pupils": show_pupils,
            "pupils": selectors.pupils_per_year_and_level(institution) if show_pupils else None,
        },
    )


@access(Role.ANALYST, Role.ADMIN)
def overview(request: HttpRequest) -> HttpResponse:
    """How many institutions each level has in each province, with totals."""
    return render(
        request,
        "registry/overview.html",
        {
            "table": selectors.institutions_per_level_and_province(),
        },
    )
