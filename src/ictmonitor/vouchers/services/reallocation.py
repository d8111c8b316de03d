"""Reallocation: codes issued but not handed out after the wave's number of days go to requests
still waiting, oldest request first.

A run locks its wave (one run at a time per wave) and moves each code with a conditional
UPDATE, so a code is reallocated exactly once even when two runs, or a run and a hand-out, race.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit, stamp, who
from ictmonitor.vouchers.models import Request, RequesterType, Voucher, Wave, alive


@dataclass(frozen=True)
class Move:
    """One idle code going from one requester to a request that is still waiting."""

    voucher_id: int
    provider: str
    code: str
    from_request: int | None
    from_requester: str
    to_request: int
    to_requester: str


def _requester(requested_by: str, institution: str | None, municipality: str | None) -> str:
    return f"{requested_by} {institution or municipality or '?'}"


def idle_codes(wave: Wave, day: date) -> Any:
    """Codes of the wave issued at least the wave's number of days ago, not handed out, not
    activated, not expired and never reallocated before: oldest first."""
    cutoff = day - timedelta(days=wave.reallocate_after_days)
    return Voucher.objects.filter(
        alive(day), wave=wave, issued_on__lte=cutoff, handed_out_at__isnull=True,
        pupil_ref="", activated_on__isnull=True, reallocated_at__isnull=True,
    ).order_by("issued_on", "provider_id", "code")


def waiting_requests(wave: Wave) -> list[tuple[Request, int]]:
    """Requests of the wave that still wait for codes, oldest first, with how many they need."""
    found = (Request.objects.filter(wave=wave).exclude(status=Request.Status.WITHDRAWN)
             .select_related("institution").annotate(codes=Count("vouchers"))
             .order_by("created_at", "id"))
    needs: list[tuple[Request, int]] = []
    for request in found:
        need = request.pupils - request.codes - request.released  # type: ignore[attr-defined]
        if need > 0:
            needs.append((request, need))
    return needs


def plan_reallocation(wave: Wave, day: date | None = None) -> list[Move]:
    """Which idle codes would go to which waiting requests on a day (nothing is written)."""
    day = day or timezone.localdate()
    waiting = waiting_requests(wave)
    wanted = sum(need for _request, need in waiting)
    if not wanted:
        return []
    codes = idle_codes(wave, day).values_list(
        "pk", "provider_id", "code", "request_id", "requested_by",
        "requester_institution__number", "requester_municipality_id")
    spare: list[tuple[Any, ...]] = []  # codes skipped because they are the target's own
    source: Iterator[tuple[Any, ...]] = iter(codes.iterator(chunk_size=2000))
    moves: list[Move] = []
    for request, need in waiting:
        target = _requester(request.requested_by,
                            request.institution.number if request.institution else None,
                            request.municipality_id)
        while need:
            found = next((c for c in spare if c[3] != request.pk), None)
            if found is not None:
                spare.remove(found)
            else:
                found = next(source, None)
                while found is not None and found[3] == request.pk:
                    spare.append(found)
                    found = next(source, None)
            if found is None:
                break
            pk, provider, code, from_request, requested_by, school, refnis = found
            moves.append(Move(pk, provider, code, from_request,
                              _requester(requested_by, school, refnis), request.pk, target))
            need -= 1
    return moves


def reallocate(wave: Wave, *, by: Any, dry_run: bool = False,
               day: date | None = None) -> list[Move]:
    """Move idle codes to waiting requests; returns the moves made (or planned, if dry_run)."""
    if dry_run:
        return plan_reallocation(wave, day)
    with transaction.atomic():
        Wave.objects.select_for_update().filter(pk=wave.pk).first()  # one run per wave
        planned = plan_reallocation(wave, day)
        requests = Request.objects.in_bulk({m.to_request for m in planned})
        now = timezone.now()
        _user, actor = who(by)
        made = []
        for move in planned:
            if _move(move, requests[move.to_request], actor, now):
                made.append(move)
                audit(by, now, AuditEntry.Action.UPDATE, "vouchers.voucher",
                      f"{move.provider}/{move.code}",
                      {"requester": (move.from_requester, move.to_requester),
                       "request_id": (move.from_request, move.to_request)})  # row ids
        return made


def _move(move: Move, to: Request, actor: str, now: Any) -> bool:
    """Give one code to a request, if it is still idle where the plan found it."""
    school = to.institution_id if to.requested_by == RequesterType.SCHOOL else None
    still = Q(request__isnull=True) if move.from_request is None else Q(
        request=move.from_request)
    moved = Voucher.objects.filter(
        still, pk=move.voucher_id, handed_out_at__isnull=True, pupil_ref="",
        activated_on__isnull=True, reallocated_at__isnull=True,
    ).update(request=to, requested_by=to.requested_by, requester_institution=school,
             requester_municipality=to.municipality_id, school=school, unit=school,
             reallocated_at=now, **stamp(actor, now))
    if moved and move.from_request is not None:
        Request.objects.filter(pk=move.from_request).update(released=F("released") + 1,
                                                            **stamp(actor, now))
    return bool(moved)
