"""A wave's agreements extended wholesale: every activated code still valid runs to a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit, audit_each, stamp, who
from ictmonitor.vouchers.models import Voucher, Wave, alive
from ictmonitor.vouchers.services.common import VoucherError


@transaction.atomic
def extend_wave(wave: Wave, until: date, *, by: Any, on: date | None = None) -> int:
    """Extend every activated code of the wave still valid on `on` (today) that would end
    before `until` to `until`, and record it on the wave; each code changed gets its audit
    entry. How many codes were extended. A day already past, or before the wave's earlier
    wholesale extension, is refused."""
    day = on or timezone.localdate()
    if until <= day:
        raise VoucherError(_("Extend to a day after today (%(day)s).") % {"day": day})
    locked = Wave.objects.select_for_update().get(pk=wave.pk)
    if locked.extended_to is not None and until <= locked.extended_to:
        raise VoucherError(_("The wave's codes run to %(day)s already; extend to a later "
                             "day.") % {"day": locked.extended_to.isoformat()}, "conflict")
    now = timezone.now()
    _user, actor = who(by)
    # Codes with an end before `until` (one without any end date runs on already).
    runs_short = ((Q(expires_on__isnull=False) | Q(extended_until__isnull=False))
                  & (Q(expires_on__isnull=True) | Q(expires_on__lt=until))
                  & (Q(extended_until__isnull=True) | Q(extended_until__lt=until)))
    found = Voucher.objects.filter(alive(day), runs_short, wave=locked,
                                   activated_on__isnull=False)
    before = list(found.order_by("provider_id", "code")
                  .values_list("pk", "provider_id", "code", "extended_until"))
    Voucher.objects.filter(pk__in=found.values("pk")).update(
        extended_until=until, **stamp(actor, now))
    audit_each(by, now, AuditEntry.Action.UPDATE, Voucher, (
        (f"{provider}/{code}", {"extended_until": (old, until)})
        for _pk, provider, code, old in before))
    old_to = locked.extended_to
    Wave.objects.filter(pk=locked.pk).update(extended_to=until, **stamp(actor, now))
    audit(by, now, AuditEntry.Action.UPDATE, Wave, locked.code,
          {"extended_to": (old_to, until), "codes_extended": (None, len(before))})
    return len(before)
