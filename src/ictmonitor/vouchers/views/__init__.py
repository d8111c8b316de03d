"""The voucher pages: a school's codes, the providers' side, the department's tools."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ictmonitor.accounts.access import EVERY_ROLE, Role, access, role_of, visible_institutions
from ictmonitor.vouchers.selectors import open_waves

SCHOOLS_LISTED = 200


@access(*EVERY_ROLE)
def index(request: HttpRequest) -> HttpResponse:
    """Where each role starts: its schools, its provider pages, or the department's tools."""
    role = role_of(request.user)
    schools = None
    if role in (Role.COORDINATOR, Role.BOARD):
        schools = visible_institutions(request.user).order_by("name", "number")[:SCHOOLS_LISTED]
    return render(request, "vouchers/index.html", {
        "role": role, "schools": schools, "open_waves": open_waves(),
        "department": role in (Role.ANALYST, Role.ADMIN),
    })
