"""What happens to one code: hand-out to a pupil, a problem noted, activation, extension.

Each write is one conditional UPDATE (… WHERE the code is still in the state expected) whose
row count says whether it happened, so a code is handed out or activated exactly once even when
two requests race; the loser gets a clear reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.national_numbers import national_number_kind
from ictmonitor.core.recording import audit, audit_each, stamp, who
from ictmonitor.vouchers import pseudonyms
from ictmonitor.vouchers.models import Problem, Voucher, alive
from ictmonitor.vouchers.services.common import VoucherError

TABLE = "vouchers.voucher"


def _key(voucher: Voucher) -> str:
    return f"{voucher.provider_id}/{voucher.code}"


def _of_school(voucher_id: int, school: Any) -> Voucher:
    """The code if this school asked for it; else not-found (no existence leak)."""
    found = Voucher.objects.filter(pk=voucher_id, requester_institution=school).first()
    if found is None:
        raise VoucherError(_("This school has no such code."), "not-found")
    return found


def _hold_off_imports(voucher_id: int) -> None:
    """Share-lock the code's wave until this transaction ends: a feed import or reallocation of
    the wave (they lock it for update) runs wholly before or after this write, never reading
    the code before it and writing its old reference back after it. Hand-outs do not wait for
    each other. (SQLite lets one writer in at a time anyway.)"""
    if connection.vendor != "postgresql":
        return
    wave = Voucher.objects.filter(pk=voucher_id).values_list("wave_id", flat=True).first()
    if wave is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM vouchers_wave WHERE id = %s FOR SHARE", [wave])


@transaction.atomic
def hand_out(voucher_id: int, school: Any, pupil_ref: str, *, by: Any) -> Voucher:
    """Give an issued code of the school to a pupil, known only by a pseudonymous reference."""
    pupil_ref = pupil_ref.strip()
    if not pupil_ref:
        raise VoucherError(_("Give the pupil's reference (not a name)."))
    if national_number_kind(pupil_ref):
        raise VoucherError(_("This looks like a national number. Use a pseudonymous reference, "
                             "such as class and number (3A-07), never a name or a national "
                             "number."))
    if pseudonyms.problem_with(pupil_ref):
        raise VoucherError(_("A pupil reference has at most %(n)s characters, and no NUL.")
                           % {"n": pseudonyms.MAX_LENGTH})
    now = timezone.now()
    user, actor = who(by)
    _hold_off_imports(voucher_id)
    done = Voucher.objects.filter(
        alive(timezone.localdate()), pk=voucher_id, requester_institution=school,
        issued_on__isnull=False, activated_on__isnull=True, handed_out_at__isnull=True,
        pupil_ref="",
    ).update(pupil_ref=pupil_ref, handed_out_at=now, handed_out_by=user, **stamp(actor, now))
    voucher = _of_school(voucher_id, school)
    if not done:
        if voucher.handed_out_at or voucher.pupil_ref:
            reason = _("This code was handed out already.")
        elif voucher.activated_on:
            reason = _("This code was activated already.")
        elif not voucher.issued_on:
            reason = _("This code has not been issued yet.")
        else:
            reason = _("This code has expired.")
        raise VoucherError(reason, "conflict")
    audit(by, now, AuditEntry.Action.UPDATE, TABLE, _key(voucher),
          {"pupil_ref": ("", pupil_ref), "handed_out_at": (None, now)})
    return voucher


@transaction.atomic
def note_problem(voucher_id: int, school: Any, problem: str, *, by: Any) -> Voucher:
    """Note why a code of the school was not used ('' clears it)."""
    if problem and problem not in Problem.values:
        raise VoucherError(_("Choose one of the reasons listed."))
    voucher = _of_school(voucher_id, school)
    if voucher.activated_on:
        raise VoucherError(_("This code was activated; it was used."), "conflict")
    if voucher.problem == problem:
        return voucher
    now = timezone.now()
    _user, actor = who(by)
    done = Voucher.objects.filter(pk=voucher.pk, problem=voucher.problem).update(
        problem=problem, **stamp(actor, now))
    if not done:  # someone noted another reason meanwhile: nothing was written
        raise VoucherError(_("This code changed meanwhile; look again and retry."), "conflict")
    audit(by, now, AuditEntry.Action.UPDATE, TABLE, _key(voucher),
          {"problem": (voucher.problem, problem)})
    voucher.problem = problem
    return voucher


@transaction.atomic
def note_problems(reasons: Mapping[int, str], *, by: Any, chunk: int = 5000) -> int:
    """Note why each of many codes was not used (code id -> reason), as `note_problem` does one:
    only a code not activated and without a reason yet; each change audited. How many."""
    unknown = set(reasons.values()) - set(Problem.values)
    if unknown:
        raise VoucherError(_("Choose one of the reasons listed."))
    now = timezone.now()
    _user, actor = who(by)
    changed: list[tuple[str, dict[str, tuple[str, str]]]] = []
    ids = sorted(reasons)
    for start in range(0, len(ids), chunk):
        found = list(Voucher.objects.filter(pk__in=ids[start:start + chunk],
                                            activated_on__isnull=True, problem="")
                     .values_list("pk", "provider_id", "code"))
        for reason in sorted({reasons[row[0]] for row in found}):
            chosen = [row[0] for row in found if reasons[row[0]] == reason]
            Voucher.objects.filter(pk__in=chosen, problem="").update(
                problem=reason, **stamp(actor, now))
        changed += [(f"{provider}/{code}", {"problem": ("", reasons[pk])})
                    for pk, provider, code in found]
    return audit_each(by, now, AuditEntry.Action.UPDATE, TABLE, changed)


@transaction.atomic
def record_activation(provider: str, code: str, day: date, *, by: Any) -> Voucher:
    """A provider reports that one of its codes was activated on a day; exactly once."""
    now = timezone.now()
    _user, actor = who(by)
    done = Voucher.objects.filter(
        provider_id=provider, code=code, activated_on__isnull=True, issued_on__isnull=False,
        issued_on__lte=day,
    ).update(activated_on=day, **stamp(actor, now))
    voucher = Voucher.objects.filter(provider_id=provider, code=code).first()
    if voucher is None:
        raise VoucherError(_("%(provider)s has no code %(code)s.")
                           % {"provider": provider, "code": code}, "not-found")
    if not done:
        if voucher.activated_on:
            raise VoucherError(_("This code was activated already, on %(day)s.")
                               % {"day": voucher.activated_on.isoformat()}, "conflict")
        if voucher.issued_on is None:
            raise VoucherError(_("This code has not been issued yet."))
        raise VoucherError(_("A code cannot be activated before it was issued (%(day)s).")
                           % {"day": voucher.issued_on.isoformat()})
    audit(by, now, AuditEntry.Action.UPDATE, TABLE, _key(voucher),
          {"activated_on": (None, day)})
    return voucher


def extension_refusal(voucher: Voucher, day: date) -> str | None:
    """Why this code may not be extended on a day, or None when it may. The wave's rules say
    how long an extension lasts and how recent the use must be (no use at all when its codes
    are extended on simple request), not how many a code may have: a code is extended once
    (by the school here, or by its provider as its feed says)."""
    window = voucher.wave.extension_use_days
    if voucher.activated_on is None:
        return _("Only an activated code can be extended; this one was never activated.")
    end = voucher.end
    if end is not None and end < day:
        return _("This code expired on %(day)s; an expired code cannot be extended.") % {
            "day": end.isoformat()}
    if voucher.extended_until is not None:
        return _("This code was extended already, until %(day)s; a code is extended once.") % {
            "day": voucher.extended_until.isoformat()}
    if voucher.wave.extension_on_request:
        return None
    if voucher.last_used_on is None:
        return _("This code has never been used; an extension needs use in the last "
                 "%(days)s days.") % {"days": window}
    idle = (day - voucher.last_used_on).days
    if idle > window:
        return _("This code was last used on %(day)s, %(idle)s days ago; an extension needs "
                 "use in the last %(days)s days.") % {
            "day": voucher.last_used_on.isoformat(), "idle": idle, "days": window}
    return None


@transaction.atomic
def extend_voucher(voucher_id: int, *, by: Any, school: Any = None,
                   on: date | None = None) -> Voucher:
    """Extend a code on request, once, granted only when it was used recently (the wave's
    rule) and has not expired; a second click is refused, saying until when it was extended."""
    day = on or timezone.localdate()
    found = Voucher.objects.select_related("wave").filter(pk=voucher_id)
    if school is not None:
        found = found.filter(requester_institution=school)
    voucher = found.first()
    if voucher is None:
        raise VoucherError(_("There is no such code."), "not-found")
    refusal = extension_refusal(voucher, day)
    if refusal:
        raise VoucherError(refusal)
    until = max(voucher.end or day, day) + timedelta(days=voucher.wave.extension_days)
    now = timezone.now()
    _user, actor = who(by)
    # Only a code still unextended and unexpired: of two clicks at once, one extends it.
    done = Voucher.objects.filter(alive(day), pk=voucher.pk, extended_until__isnull=True,
                                  expires_on=voucher.expires_on).update(
        extended_until=until, **stamp(actor, now))
    if not done:
        voucher.refresh_from_db()
        raise VoucherError(extension_refusal(voucher, day)
                           or _("This code changed meanwhile; look again and retry."),
                           "conflict")
    audit(by, now, AuditEntry.Action.UPDATE, TABLE, _key(voucher),
          {"extended_until": (None, until)})
    voucher.extended_until = until
    return voucher
