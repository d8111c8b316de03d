"""The incident log API: the school's coordinator and board read its incidents; only the
coordinator records and corrects them. Anyone else answers 403 (the department reads the
`incidents` report instead); a school you may not see answers 404."""

# No `from __future__ import annotations`: ninja reads the types at import time.
from datetime import date, datetime
from typing import Any, Literal, get_args

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status

from ictmonitor.accounts.access import access_institution, role_of
from ictmonitor.api.auth import auth_user
from ictmonitor.api.common import NO_NUL, IsoDate, errors
from ictmonitor.incidents import selectors, services
from ictmonitor.incidents.models import Incident, Kind, Severity, Told
from ictmonitor.incidents.views import EDITORS, READERS

router = Router(tags=["incidents"])
STATUS = {"not-found": 404, "conflict": 409, "refused": 400}
NUMBER = Path(..., min_length=1, max_length=20, pattern=NO_NUL,
              description="The institution number (instellingsnummer).")
KindCode = Literal["phishing", "ransomware", "account-takeover", "data-breach", "cyberbullying",
                   "sexting", "sextortion", "grooming", "extremism", "hate-speech", "other"]
SeverityCode = Literal["low", "medium", "high"]
ToldCode = Literal["board", "dpo", "vtc", "ccb", "police", "parents", "1712"]
# The schema's codes are the models' choices, in their order.
assert list(get_args(KindCode)) == Kind.values
assert list(get_args(SeverityCode)) == Severity.values
assert list(get_args(ToldCode)) == Told.values


class IncidentIn(Schema):
    """An incident to record or correct. Never a pupil's name or national number: a national
    number in `actions` or `lessons` is refused (400)."""

    occurred_on: IsoDate = Field(description="When it happened, YYYY-MM-DD; not in the future.")
    kind: KindCode
    severity: SeverityCode
    told: list[ToldCode] = Field(default_factory=list, max_length=len(Told.values),
                                 description="Who was told.")
    actions: str = Field(min_length=1, max_length=services.TEXT_MAX, pattern=NO_NUL,
                         description="What was done.")
    lessons: str = Field("", max_length=services.TEXT_MAX, pattern=NO_NUL)


class IncidentOut(Schema):
    """An incident of the school, with who last changed it and when."""

    id: int
    occurred_on: date
    recorded_on: date
    kind: str
    severity: str
    told: list[str]
    actions: str
    lessons: str
    updated_at: datetime
    changed_by: str


def _school(request: HttpRequest, number: str, roles: tuple[str, ...]) -> Any:
    """The school, for a caller of one of these roles who may see it; else 403 or 404."""
    user = auth_user(request)
    if role_of(user) not in roles:
        return None, user
    return access_institution(user, number), user


def _given(body: IncidentIn) -> services.IncidentInput:
    return services.IncidentInput(occurred_on=body.occurred_on, kind=body.kind,
                                  severity=body.severity, told=list(body.told),
                                  actions=body.actions, lessons=body.lessons)


FORBIDDEN_READ = {"detail": "Only the school's coordinator and board read its incident log."}
FORBIDDEN_WRITE = {"detail": "Only the school's coordinator records incidents."}


@router.get("/schools/{number}/incidents", response={200: list[IncidentOut], **errors(403, 404)},
            summary="The school's incident log", operation_id="list_incidents")
def list_incidents(request: HttpRequest, number: str = NUMBER) -> Any:
    """Every incident of the school, the most recent first."""
    school, _user = _school(request, number, READERS)
    if school is None:
        return Status(403, FORBIDDEN_READ)
    return list(selectors.incidents_of(school))


@router.post("/schools/{number}/incidents",
             response={201: IncidentOut, **errors(400, 403, 404)},
             summary="Record an incident", operation_id="record_incident")
def record_incident(request: HttpRequest, body: IncidentIn, number: str = NUMBER) -> Any:
    """Record a new incident (audited: who and when)."""
    school, user = _school(request, number, EDITORS)
    if school is None:
        return Status(403, FORBIDDEN_WRITE)
    try:
        made: Incident = services.record_incident(school, _given(body), by=user)
    except services.IncidentError as problem:
        return Status(STATUS[problem.reason], {"detail": str(problem)})
    return Status(201, made)


@router.put("/schools/{number}/incidents/{incident_id}",
            response={200: IncidentOut, **errors(400, 403, 404, 409)},
            summary="Correct an incident", operation_id="update_incident")
def update_incident(request: HttpRequest, body: IncidentIn, number: str = NUMBER,
                    incident_id: int = Path(..., ge=1, le=2**62)) -> Any:
    """Correct an incident; its kind and month stay as a release has counted them (409)."""
    school, user = _school(request, number, EDITORS)
    if school is None:
        return Status(403, FORBIDDEN_WRITE)
    try:
        return services.update_incident(school, incident_id, _given(body), by=user)
    except services.IncidentError as problem:
        return Status(STATUS[problem.reason], {"detail": str(problem)})
