"""Awarding and revoking labels, and giving carried-over labels their verification token."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.assessment import labels, selectors
from ictmonitor.assessment.framework import Framework
from ictmonitor.assessment.models import Assessment, Label
from ictmonitor.assessment.services.common import AssessmentError
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit, stamp, who

TABLE = "assessment.label"
REASON_MAX = 2000


def new_token() -> str:
    """An unguessable token for a label's public verification page."""
    return secrets.token_urlsafe(24)


def label_key(label: Label) -> str:
    """The audit key of a label: `schoolnummer/awarded_on` (contracts/labels.md)."""
    return f"{label.institution.number}/{label.awarded_on.isoformat()}"


def may_award(institution: Any, level: str, fw: Framework, today: date) -> bool:
    """Whether to award today: none held, the held one renewable, or higher; one a day at most."""
    if Label.objects.filter(institution=institution, awarded_on=today).exists():
        return False
    held = selectors.current_label(institution, today)
    if held is None:
        return True
    renewable = labels.renewable_from(held.awarded_on, fw.renewable_after_months)
    return today >= renewable or labels.rank(level) > labels.rank(held.level)


def award_label(institution: Any, level: str, fw: Framework, *, on: date,
                assessment: Assessment | None, by: Any, now: datetime | None = None) -> Label:
    """Award a label valid for the framework's `validity_months` from `on`."""
    now = now or timezone.now()
    _user, actor = who(by)
    label = Label.objects.create(
        institution=institution, level=level, awarded_on=on,
        valid_until=labels.valid_until(on, fw.validity_months), assessment=assessment,
        framework_version=fw.version, token=new_token(), **stamp(actor, now, created=True))
    audit(by, now, AuditEntry.Action.CREATE, TABLE, label_key(label), {
        "level": (None, level), "valid_until": (None, label.valid_until),
        "framework_version": (None, fw.version)})
    return label


def _raise(label: Label, level: str, fw: Framework, by: Any, now: datetime) -> Label:
    """Raise a label awarded today to a higher level (one label a day per school)."""
    _user, actor = who(by)
    old = label.level
    Label.objects.filter(pk=label.pk).update(level=level, framework_version=fw.version,
                                             **stamp(actor, now))
    label.refresh_from_db()
    audit(by, now, AuditEntry.Action.UPDATE, TABLE, label_key(label), {"level": (old, level)})
    return label


@transaction.atomic
def settle_label(assessment: Assessment, *, by: Any, now: datetime | None = None
                 ) -> Label | None:
    """Award what the school's latest submitted assessment earns as it stands now (after a
    reviewer accepted evidence), when it is above the label that assessment gave: a label
    awarded today is raised, else a new one is awarded; nothing when a label of that
    assessment was revoked, or from the day a label of the assessment's submission day would
    be renewable on (a new assessment earns it then). Returns the label, or None."""
    latest = selectors.latest_submitted(assessment.institution)
    if latest is None or latest.pk != assessment.pk:
        return None
    if assessment.labels.filter(revoked_at__isnull=False).exists():
        return None  # a label revoked on this assessment is not given back by a review
    fw = selectors.framework_of(assessment)
    met = [check.rule for check in selectors.label_checks(assessment) if check.met]
    if not met:
        return None
    earned = met[-1]
    now = now or timezone.now()
    today = timezone.localdate(now)
    submitted = timezone.localdate(assessment.submitted_at or now)
    if today >= labels.renewable_from(submitted, fw.renewable_after_months):
        return None  # answers that old are for a new assessment to confirm, not a fresh label
    own = assessment.labels.filter(revoked_at__isnull=True).order_by("-awarded_on").first()
    if own is not None and labels.rank(own.level) >= labels.rank(earned.code):
        return None
    if own is not None and own.awarded_on == today:
        return _raise(own, earned.code, fw, by, now)
    if not may_award(assessment.institution, earned.code, fw, today):
        return None
    return award_label(assessment.institution, earned.code, fw, on=today,
                       assessment=assessment, by=by, now=now)


@transaction.atomic
def revoke_label(label: Label, reason: str, *, by: Any, now: datetime | None = None) -> Label:
    """Revoke a label with a reason; its verification page says so from then on."""
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError(_("Give the reason for revoking the label."))
    if len(reason) > REASON_MAX or "\x00" in reason:
        raise AssessmentError(_("The reason is too long (at most %(max)s characters).")
                              % {"max": REASON_MAX})
    now = now or timezone.now()
    user, actor = who(by)
    if not Label.objects.filter(pk=label.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=user, revoked_reason=reason, **stamp(actor, now)):
        raise AssessmentError(_("This label was revoked already."), "conflict")
    label.refresh_from_db()
    audit(by, now, AuditEntry.Action.UPDATE, TABLE, label_key(label), {
        "revoked_at": (None, now), "revoked_reason": ("", reason)})
    return label


def give_tokens() -> int:
    """Give every label without a verification token (carried over) its own; returns how many."""
    waiting = list(Label.objects.filter(token__isnull=True).only("pk"))
    for label in waiting:
        label.token = new_token()
    Label.objects.bulk_update(waiting, ["token"], batch_size=1000)
    return len(waiting)
