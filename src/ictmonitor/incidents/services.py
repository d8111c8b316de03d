"""Recording and correcting incidents: every write stamped and audited (core.recording).

No pupil is ever named: the form says so, and a national number anywhere in the free text is
refused by the shared check (core.national_numbers), as the voucher feed refuses one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.national_numbers import BELGIAN, national_number_kind
from ictmonitor.core.recording import WriteRefused, audit, stamp, who
from ictmonitor.incidents.models import Incident, Kind, Severity, Told
from ictmonitor.registry.models import Institution
from ictmonitor.reports.selectors import release_dates

TEXT_MAX = 4000
FIELDS = ("occurred_on", "kind", "severity", "told", "actions", "lessons")
# What the incidents report breaks down by: fixed once a release has counted the incident.
COUNTED = ("kind", "occurred_on")


class IncidentError(WriteRefused):
    """A write the incident log's rules refuse (see WriteRefused for `reason`)."""


@dataclass(frozen=True)
class IncidentInput:
    """What a coordinator gives for one incident."""

    occurred_on: date
    kind: str
    severity: str
    told: list[str]
    actions: str
    lessons: str = ""


def national_number_problem(text: str) -> str | None:
    """Why this text may not be stored (it holds a national number), or None; never repeats
    the number."""
    kind = national_number_kind(text)
    if kind is None:
        return None
    name = _("Belgian national number") if kind == BELGIAN else _("Dutch citizen service number")
    return _("This text holds what looks like a %(kind)s. The incident log never keeps a "
             "pupil's name or national number: describe the people involved by their role "
             "(a pupil of the 2nd year, a teacher).") % {"kind": name}


def check_text(label: str, text: str, *, required: bool) -> str:
    """The text, trimmed, or IncidentError saying what is wrong with it."""
    text = (text or "").strip()
    if required and not text:
        raise IncidentError(_("%(field)s: write what was done.") % {"field": label})
    if len(text) > TEXT_MAX or "\x00" in text:
        raise IncidentError(_("%(field)s: at most %(max)s characters, and no NUL.")
                            % {"field": label, "max": TEXT_MAX})
    problem = national_number_problem(text)
    if problem:
        raise IncidentError(f"{label}: {problem}")
    return text


def clean(given: IncidentInput, today: date) -> dict[str, Any]:
    """The values to store, checked; IncidentError names the first problem."""
    if given.kind not in Kind.values:
        raise IncidentError(_("Choose the kind of incident."))
    if given.severity not in Severity.values:
        raise IncidentError(_("Choose how severe the incident was."))
    unknown = [code for code in given.told if code not in Told.values]
    if unknown:
        raise IncidentError(_("Unknown in who was told: %(codes)s.")
                            % {"codes": ", ".join(map(str, unknown))})
    if given.occurred_on > today:
        raise IncidentError(_("The date of the incident cannot lie in the future."))
    return {
        "occurred_on": given.occurred_on, "kind": given.kind, "severity": given.severity,
        "told": [code for code in Told.values if code in given.told],
        "actions": check_text(_("What was done"), given.actions, required=True),
        "lessons": check_text(_("Lessons"), given.lessons, required=False),
    }


def key_of(incident: Incident) -> str:
    """The audit log's key of an incident: the school's number and the incident's id."""
    return f"{incident.institution.number}#{incident.pk}"


@transaction.atomic
def record_incident(school: Institution, given: IncidentInput, *, by: Any,
                    now: datetime | None = None) -> Incident:
    """Record a new incident of the school; one audit entry with every value."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    values = clean(given, today)
    _user, actor = who(by)
    incident = Incident.objects.create(institution=school, recorded_on=today, **values,
                                       **stamp(actor, now, created=True))
    audit(by, now, AuditEntry.Action.CREATE, Incident, key_of(incident),
          {name: (None, value) for name, value in values.items()})
    return incident


def counted_in_release(incident: Incident) -> date | None:
    """The first release that counts this incident (published on or after it was recorded)."""
    return next((on for on in release_dates() if on >= incident.recorded_on), None)


@transaction.atomic
def update_incident(school: Institution, incident_id: int, given: IncidentInput, *, by: Any,
                    now: datetime | None = None) -> Incident:
    """Correct an incident of the school; one audit entry with what changed (old, new).
    Once a release counts the incident, its kind and month stay as published: the public
    figures of every release are protected together and may only grow."""
    now = now or timezone.now()
    found = (Incident.objects.select_for_update().select_related("institution")
             .filter(pk=incident_id, institution=school).first())
    if found is None:
        raise IncidentError(_("This school has no such incident."), "not-found")
    values = clean(given, timezone.localdate(now))
    if values["occurred_on"] > found.recorded_on:
        raise IncidentError(_("The incident was first recorded on %(day)s, so it cannot have "
                              "happened later.") % {"day": found.recorded_on.isoformat()})
    changes = {name: (getattr(found, name), value) for name, value in values.items()
               if getattr(found, name) != value}
    if not changes:
        return found
    moved = "kind" in changes or (
        "occurred_on" in changes
        and found.occurred_on.strftime("%Y-%m") != values["occurred_on"].strftime("%Y-%m"))
    if moved and (release := counted_in_release(found)) is not None:
        raise IncidentError(
            _("The release of %(day)s already counts this incident by its kind and month, so "
              "those stay as they are; the other fields can still be corrected.")
            % {"day": release.isoformat()}, "conflict")
    for name, value in values.items():
        setattr(found, name, value)
    _user, actor = who(by)
    for name, value in stamp(actor, now).items():
        setattr(found, name, value)
    found.save()
    audit(by, now, AuditEntry.Action.UPDATE, Incident, key_of(found), changes)
    return found
