"""Waves, requests and their allocation across providers; the links a feed needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.recording import audit, stamp, who
from ictmonitor.vouchers.models import Allocation, Request, RequesterType, Voucher, Wave
from ictmonitor.vouchers.selectors import pupil_count
from ictmonitor.vouchers.services.common import VoucherError

WAVE_FIELDS = ("name_nl", "name_en", "opens_on", "closes_on", "expires_on",
               "reallocate_after_days", "extension_days", "extension_use_days",
               "extension_on_request")


@transaction.atomic
def create_wave(code: str, *, by: Any, providers: Iterable[str] = (),
                **fields: Any) -> Wave:
    """A new wave with its dates and rules (fields as on the model)."""
    unknown = set(fields) - set(WAVE_FIELDS)
    if unknown:
        raise TypeError(f"no wave fields {sorted(unknown)}")
    if Wave.objects.filter(code=code).exists():
        raise VoucherError(_("A wave %(code)s exists already.") % {"code": code}, "conflict")
    now = timezone.now()
    _user, actor = who(by)
    fields.setdefault("name_nl", code)
    fields.setdefault("name_en", fields["name_nl"])
    wave = Wave.objects.create(code=code, **fields, **stamp(actor, now, created=True))
    chosen = list(providers)  # read once: `providers` may be a one-shot iterator
    # Provider's primary key is its code (a str); the stubs take only objects or int keys.
    wave.providers.set(chosen)  # type: ignore[arg-type]
    audit(by, now, AuditEntry.Action.CREATE, "vouchers.wave", code,
          {**{name: (None, getattr(wave, name)) for name in fields},
           "providers": (None, sorted(chosen))})
    return wave


def add_waves(codes: list[str], run: ImportRun, now: datetime) -> int:
    """Create the waves a feed names that the ledger does not know yet; how many."""
    known = set(Wave.objects.filter(code__in=codes).values_list("code", flat=True))
    added = [code for code in sorted(set(codes)) if code not in known]
    for code in added:
        Wave.objects.create(code=code, name_nl=code, name_en=code, created_at=now,
                            updated_at=now, changed_by=run.actor, import_run=run)
        audit(run.user or run.actor, now, AuditEntry.Action.CREATE, Wave, code,
              {"code": (None, code)}, run=run)
    return len(added)


def link_requests(run: ImportRun) -> int:
    """Point the codes this import wrote at their requester's request in the wave, where that
    changes anything (rows already right are not rewritten)."""
    if not Request.objects.exists():
        return 0
    school = RequesterType.SCHOOL.value
    match = (
        "(SELECT r.id FROM vouchers_request r WHERE r.wave_id = vouchers_voucher.wave_id "
        "AND r.requested_by = vouchers_voucher.requested_by AND ("
        f"(r.requested_by = '{school}' "
        "AND r.institution_id = vouchers_voucher.requester_institution_id) OR "
        f"(r.requested_by <> '{school}' "
        "AND r.municipality_id = vouchers_voucher.requester_municipality_id)))"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE vouchers_voucher SET request_id = {match} WHERE import_run_id = %s "
            f"AND reallocated_at IS NULL AND request_id IS DISTINCT FROM {match}",
            [run.pk],
        )
        return cursor.rowcount


@transaction.atomic
def request_vouchers(wave: Wave, pupils: int, *, by: Any, institution: Any = None,
                     municipality: Any = None, requested_by: str = RequesterType.SCHOOL,
                     on: date | None = None) -> Request:
    """Ask for codes for this many pupils in an open wave; asking again changes the number."""
    day = on or timezone.localdate()
    if not wave.is_open(day):
        raise VoucherError(_("The wave %(wave)s does not take requests on %(day)s.")
                           % {"wave": wave.code, "day": day.isoformat()})
    if pupils < 1:
        raise VoucherError(_("Ask for codes for at least one pupil."))
    if (requested_by == RequesterType.SCHOOL) != (institution is not None):
        raise TypeError("a school asks with institution=, a municipality or OCMW with "
                        "municipality=")
    if institution is not None:
        _within_pupil_count(institution, pupils, day)
    now = timezone.now()
    _user, actor = who(by)
    lookup: dict[str, Any] = {"wave": wave, "requested_by": requested_by}
    lookup.update({"institution": institution} if institution is not None
                  else {"municipality": municipality})
    request = Request.objects.select_for_update().filter(**lookup).first()
    if request is None:
        try:
            with transaction.atomic():  # a savepoint: a twin request may win the race
                request = Request.objects.create(**lookup, pupils=pupils, submitted_by=_user,
                                                 requested_on=day,
                                                 **stamp(actor, now, created=True))
        except IntegrityError:  # it did: this one changes the twin's number, as asking again
            request = Request.objects.select_for_update().get(**lookup)
        else:
            made: dict[str, tuple[Any, Any]] = {
                "wave": (None, wave.code), "requested_by": (None, requested_by),
                "requester": (None, request.requester_key), "pupils": (None, pupils),
                "requested_on": (None, day)}
            linked = _link_codes(request, actor, now)
            if linked:
                made["codes"] = (None, linked)
            audit(by, now, AuditEntry.Action.CREATE, "vouchers.request", str(request.pk), made)
            return request
    codes = request.vouchers.count()
    if pupils < codes:
        raise VoucherError(_("%(codes)s codes were issued already; ask for at least that many.")
                           % {"codes": codes})
    changes: dict[str, tuple[Any, Any]] = {}
    if pupils != request.pupils:
        changes["pupils"] = (request.pupils, pupils)
        request.pupils = pupils
    allocated = request.allocations.aggregate(n=Sum("codes"))["n"] or 0
    if request.status == Request.Status.WITHDRAWN or (
        request.status == Request.Status.ALLOCATED and pupils > allocated
    ):  # asked again, or for more than was allocated: the department allocates again
        changes["status"] = (request.status, Request.Status.SUBMITTED)
        request.status = Request.Status.SUBMITTED
    if changes:
        for name, value in stamp(actor, now).items():
            setattr(request, name, value)
        request.save()
        audit(by, now, AuditEntry.Action.UPDATE, "vouchers.request", str(request.pk), changes)
    return request


def _within_pupil_count(institution: Any, pupils: int, day: date) -> None:
    """A school asks for at most as many pupils as it has this school year; without a known
    count the request is taken unchecked (the school's page says so)."""
    year, known = pupil_count(institution, day)
    if known is not None and pupils > known:
        raise VoucherError(_("This school has %(known)s pupils in the school year %(year)s (its "
                             "enrolments); ask for codes for at most %(known)s pupils.")
                           % {"known": known, "year": year})


def _link_codes(request: Request, actor: str, now: Any) -> int:
    """Give a new request the codes its requester already has in the wave (a feed that came
    first); how many."""
    mine = ({"requester_institution": request.institution_id}
            if request.requested_by == RequesterType.SCHOOL
            else {"requester_municipality": request.municipality_id})
    return Voucher.objects.filter(
        wave=request.wave_id, requested_by=request.requested_by, request__isnull=True,
        reallocated_at__isnull=True, **mine,
    ).update(request=request, **stamp(actor, now))


@transaction.atomic
def withdraw_request(request: Request, *, by: Any) -> Request:
    """Withdraw a request that has no codes yet."""
    if request.vouchers.exists():
        raise VoucherError(_("Codes were issued for this request; it can no longer be "
                             "withdrawn."), "conflict")
    now = timezone.now()
    _user, actor = who(by)
    updated = Request.objects.filter(pk=request.pk).exclude(
        status=Request.Status.WITHDRAWN).update(status=Request.Status.WITHDRAWN,
                                                **stamp(actor, now))
    if updated:
        audit(by, now, AuditEntry.Action.UPDATE, "vouchers.request", str(request.pk),
              {"status": (request.status, Request.Status.WITHDRAWN)})
    request.refresh_from_db()
    return request


@transaction.atomic
def allocate(request: Request, shares: Mapping[str, int], *, by: Any) -> list[Allocation]:
    """Give a request's codes to providers (`{"telenet": 30, "proximus": 20}`)."""
    request = Request.objects.select_for_update().select_related("wave").get(pk=request.pk)
    if request.status == Request.Status.WITHDRAWN:
        raise VoucherError(_("This request was withdrawn."), "conflict")
    allowed = set(request.wave.providers.values_list("code", flat=True))
    wrong = sorted(p for p in shares if allowed and p not in allowed)
    if wrong:
        raise VoucherError(_("%(providers)s do not take part in this wave.")
                           % {"providers": ", ".join(wrong)})
    if any(n < 0 for n in shares.values()):
        raise VoucherError(_("A number of codes cannot be negative."))
    total = sum(shares.values())
    if total == 0 or total > request.pupils:
        raise VoucherError(_("Allocate between 1 and %(pupils)s codes in all.")
                           % {"pupils": request.pupils})
    now = timezone.now()
    _user, actor = who(by)
    existing = {a.provider_id: a for a in request.allocations.all()}
    key = str(request.pk)
    for provider, codes in sorted(shares.items()):
        old = existing.get(provider)
        if old is not None and codes == 0:
            old.delete()
            audit(by, now, AuditEntry.Action.DELETE, "vouchers.allocation",
                  f"{key}/{provider}", {"codes": (old.codes, None)})
        elif old is None and codes:
            Allocation.objects.create(request=request, provider_id=provider, codes=codes,
                                      **stamp(actor, now, created=True))
            audit(by, now, AuditEntry.Action.CREATE, "vouchers.allocation",
                  f"{key}/{provider}", {"codes": (None, codes)})
        elif old is not None and old.codes != codes:
            Allocation.objects.filter(pk=old.pk).update(codes=codes, **stamp(actor, now))
            audit(by, now, AuditEntry.Action.UPDATE, "vouchers.allocation",
                  f"{key}/{provider}", {"codes": (old.codes, codes)})
    if request.status != Request.Status.ALLOCATED:
        Request.objects.filter(pk=request.pk).update(status=Request.Status.ALLOCATED,
                                                     **stamp(actor, now))
        audit(by, now, AuditEntry.Action.UPDATE, "vouchers.request", key,
              {"status": (request.status, Request.Status.ALLOCATED)})
    return list(request.allocations.all())
