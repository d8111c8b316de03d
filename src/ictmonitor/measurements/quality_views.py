"""The measured-quality pages: a school's lines as measured (against contract and standard,
month by month and day by day, with its devices), a provider's scorecard and quiet lines,
and the alerts. Thin: every figure comes from the selectors (quality.py, judgements.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ictmonitor.accounts.access import (
    EVERY_ROLE,
    SEES_EVERY_SCHOOL,
    Role,
    access,
    access_institution,
    role_of,
    visible_institutions,
)
from ictmonitor.connectivity.selectors import priced_providers, standard_in_force
from ictmonitor.core.translation import language
from ictmonitor.measurements import selectors
from ictmonitor.measurements.judgements import NEVER

ALERTS_SHOWN = 200
QUIET_SHOWN = 100  # the rest counted: a provider whose agents are new has thousands


@access(*EVERY_ROLE)
def school(request: HttpRequest, number: str) -> HttpResponse:
    """What the school's lines (those the user may see) deliver, as measured."""
    institution = access_institution(request.user, number)
    today = timezone.localdate()
    lines = selectors.school_quality(request.user, institution, today)
    locations = list(selectors.device_locations(request.user, institution))  # a provider: its own
    devices = selectors.device_statuses([loc.pk for loc in locations], timezone.now())
    names = {loc.pk: loc for loc in locations}
    alerts = selectors.visible_alerts(request.user).filter(location__institution=institution)
    return render(request, "measurements/school.html", {
        "institution": institution, "lines": lines,
        "devices": [(names[d.location_id], d) for d in devices],
        "alerts": list(alerts), "standard": standard_in_force().name.in_language(language()),
        "waiting": selectors.waiting_measurements(list(names)),
    })


@access(Role.PROVIDER, Role.ANALYST, Role.ADMIN)
def provider(request: HttpRequest) -> HttpResponse:
    """A provider's scorecard: its lines' measured quality per month this year, and its lines
    gone quiet; the department chooses the provider (every provider together by default)."""
    today = timezone.localdate()
    every = role_of(request.user) in SEES_EVERY_SCHOOL
    providers = list(priced_providers()) if every else []
    chosen = request.GET.get("provider") if every else getattr(request.user, "provider_id", None)
    if every and chosen not in {p.code for p in providers}:
        chosen = None
    where = None if chosen is None else selectors.provider_lines(chosen)
    rows, totals = selectors.connectivity_quality(("month",), today, None, where)
    rows.sort(key=lambda row: row["month"], reverse=True)
    # gone quiet (at risk, dropped) before never measured, each by school
    quiet = sorted(selectors.quiet_locations(chosen, today), key=lambda q: q[2] == NEVER)
    return render(request, "measurements/provider.html", {
        "rows": rows, "year": today.year, "providers": providers, "chosen": chosen,
        "every": every, "quiet": quiet[:QUIET_SHOWN],
        "quiet_more": max(len(quiet) - QUIET_SHOWN, 0),
        "alerts": list(selectors.visible_alerts(request.user).filter(
            **({} if chosen is None else {"provider_id": chosen}))[:ALERTS_SHOWN]),
    })


@access(*EVERY_ROLE)
def alerts(request: HttpRequest) -> HttpResponse:
    """The open measurement alerts this user may see (and the last resolved ones)."""
    return render(request, "measurements/alerts.html", {
        "open": list(selectors.visible_alerts(request.user)[:ALERTS_SHOWN]),
        "resolved": list(selectors.visible_alerts(request.user, resolved=True)[:ALERTS_SHOWN]),
    })


@access(Role.BOARD, Role.ANALYST, Role.ADMIN)
def board(request: HttpRequest) -> HttpResponse:
    """The user's schools side by side (a board's own; the department's: those of a board
    chosen by its code): measured speed, contract and standard, availability, devices."""
    schools = visible_institutions(request.user)
    board_code = request.GET.get("board", "").strip()
    if role_of(request.user) in SEES_EVERY_SCHOOL:
        schools = schools.filter(board__code=board_code) if board_code else schools.none()
    return render(request, "measurements/board.html", {
        "schools": selectors.board_quality(schools, timezone.localdate()),
        "every": role_of(request.user) in SEES_EVERY_SCHOOL, "board": board_code,
        "standard": standard_in_force().name.in_language(language()),
    })
