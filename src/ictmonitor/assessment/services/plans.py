"""Working through the action plan: who owns an action (a role), by when, and how far it is."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.assessment.models import Action
from ictmonitor.assessment.services.common import AssessmentError
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit, stamp, who

TABLE = "assessment.action"
OWNER_MAX = 100
# An action's owner is a staff role; a pupil never owns one (and is never named here).
PUPIL_WORDS = re.compile(r"\b(leerlingen|leerling|pupils?|students?|scholieren|scholier)\b",
                         re.IGNORECASE)


def check_owner(owner: str) -> str:
    """A staff role such as "ICT-coördinator", or AssessmentError saying what is wrong."""
    owner = " ".join((owner or "").split())
    if len(owner) > OWNER_MAX or "\x00" in owner:
        raise AssessmentError(_("The owner is at most %(max)s characters: a role such as "
                                "ICT coordinator.") % {"max": OWNER_MAX})
    if PUPIL_WORDS.search(owner):
        raise AssessmentError(_("An action is owned by a staff role (such as ICT coordinator "
                                "or head teacher), never by a pupil."))
    return owner


@transaction.atomic
def update_action(action: Action, *, owner: str, due_on: date | None, status: str, by: Any,
                  now: datetime | None = None, focus: bool | None = None) -> Action:
    """Change an action's owner, due date and status, and whether it is a focus action of
    this cycle (None: leave it); returns it as saved."""
    if status not in Action.Status.values:
        raise AssessmentError(_("Choose to do, in progress or done."))
    owner = check_owner(owner)
    now = now or timezone.now()
    _user, actor = who(by)
    found = Action.objects.select_for_update().select_related(
        "assessment__institution").get(pk=action.pk)
    changes: dict[str, tuple[Any, Any]] = {}
    wanted: list[tuple[str, Any]] = [("owner", owner), ("due_on", due_on), ("status", status)]
    if focus is not None:
        wanted.append(("focus", focus))
    for field, value in wanted:
        if getattr(found, field) != value:
            changes[field] = (getattr(found, field), value)
            setattr(found, field, value)
    if not changes:
        return found
    if "status" in changes:
        found.done_on = timezone.localdate(now) if status == Action.Status.DONE else None
    for field, value in stamp(actor, now).items():
        setattr(found, field, value)
    found.save()
    audit(by, now, AuditEntry.Action.UPDATE, TABLE,
          f"{found.assessment.institution.number}#{found.assessment.cycle}/{found.question}",
          changes)
    return found
