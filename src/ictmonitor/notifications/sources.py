"""Where notifications come from: each source reads its app's selectors for what happened
since the last daily run and says who should hear of it.

Pulling, not pushing: the producing apps import nothing of notifications and send nothing;
each source below is a read of an app's `selectors`. A source that finds the same event again
on a later run names it by the same key, and a user is told of a key once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from ictmonitor.accounts.access import Role
from ictmonitor.assessment import selectors as assessment_selectors
from ictmonitor.connectivity import selectors as connectivity_selectors
from ictmonitor.jobs import selectors as jobs_selectors
from ictmonitor.measurements import selectors as measurements_selectors
from ictmonitor.notifications import kinds
from ictmonitor.notifications.models import Mark
from ictmonitor.vouchers import selectors as vouchers_selectors

# A label is announced when it has at most this many days left: at 60, and again at 30.
LABEL_NOTICES = (60, 30)


@dataclass
class Event:
    """Something to tell: its kind, its key (the same event found again has the same key),
    the parameters its text is made from, a link, and the users to tell."""

    kind: str
    key: str
    params: dict[str, Any]
    url: str
    users: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Window:
    """What a run looks at: events since `since`, and the day it runs."""

    since: datetime
    today: date


def _members(relation: str, role: str, ids: Iterable[int]) -> dict[int, set[int]]:
    """Institution (or board) id → the active users of the role linked to it."""
    through = getattr(get_user_model(), relation).through
    column = "institution_id" if relation == "institutions" else "board_id"
    found: dict[int, set[int]] = defaultdict(set)
    for owner, user in through.objects.filter(
            **{f"{column}__in": list(ids)}, user__role=role, user__is_active=True
    ).values_list(column, "user_id"):
        found[owner].add(user)
    return found


def coordinators(institution_ids: Iterable[int]) -> dict[int, set[int]]:
    """Institution id → its coordinators."""
    return _members("institutions", Role.COORDINATOR, institution_ids)


def board_members(board_ids: Iterable[int]) -> dict[int, set[int]]:
    """Board id → the users of the board."""
    return _members("boards", Role.BOARD, board_ids)


def _users_of_roles(*roles: str) -> set[int]:
    return set(get_user_model().objects.filter(role__in=roles, is_active=True)
               .values_list("pk", flat=True))


def labels_expiring(window: Window) -> list[Event]:
    """A school's label that runs out within 60 days, and again within 30: its coordinators
    and its board."""
    events = []
    for days in LABEL_NOTICES:
        found = assessment_selectors.labels_expiring(window.today, days)
        school_users = coordinators(label.institution_id for label in found)
        boards = board_members(label.institution.board_id for label in found
                               if label.institution.board_id)
        for label in found:
            school = label.institution
            events.append(Event(
                kinds.LABEL_EXPIRING, f"label:{label.pk}:{days}",
                {"school": school.name, "number": school.number, "level": label.level,
                 "valid_until": label.valid_until.isoformat(),
                 "days": (label.valid_until - window.today).days},
                reverse("assessment:overview", args=[school.number]),
                school_users[school.pk] | boards.get(school.board_id or 0, set())))
    return events


def framework_version(window: Window) -> list[Event]:
    """A framework version newer than the one last announced (the first run only notes the
    version in force): coordinators and boards."""
    version = assessment_selectors.current_framework().version
    mark = Mark.objects.filter(name="framework").first()
    if mark is None or mark.value == version:
        return []
    return [Event(kinds.FRAMEWORK_VERSION, f"framework:{version}", {"version": version},
                  reverse("assessment:index"), _users_of_roles(Role.COORDINATOR, Role.BOARD))]


def requests_confirmed(window: Window) -> list[Event]:
    """A line request a provider confirmed: who sent it and the school's coordinators."""
    found = connectivity_selectors.confirmed_requests(window.since)
    school_users = coordinators(r.location.institution_id for r in found)
    events = []
    for request in found:
        school = request.location.institution
        users = set(school_users[school.pk])
        if request.submitted_by_id:
            users.add(request.submitted_by_id)
        events.append(Event(
            kinds.REQUEST_CONFIRMED, f"request:{request.pk}",
            {"school": school.name, "offer_nl": request.offer.name_nl,
             "offer_en": request.offer.name_en, "provider": request.provider.name},
            reverse("connectivity:school", args=[school.number]), users))
    return events


def waves_opened(window: Window) -> list[Event]:
    """A voucher wave taking requests: coordinators."""
    waves = vouchers_selectors.open_waves(window.today)
    if not waves:
        return []
    users = _users_of_roles(Role.COORDINATOR)
    return [Event(kinds.WAVE_OPENED, f"wave:{wave.code}",
                  {"code": wave.code, "name_nl": wave.name_nl, "name_en": wave.name_en,
                   "closes_on": wave.closes_on.isoformat() if wave.closes_on else ""},
                  reverse("vouchers:index"), set(users)) for wave in waves]


def jobs_ended(window: Window) -> list[Event]:
    """A background job that ended: who started it."""
    return [Event(kinds.JOB_ENDED, f"job:{job.pk}", {"file": job.file_name, "state": job.state},
                  f"{reverse('jobs:job')}?id={job.pk}", {job.user_id})
            for job in jobs_selectors.ended_jobs(window.since) if job.user_id]


def _provider_users(codes: Iterable[str]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for code, user in get_user_model().objects.filter(
            role=Role.PROVIDER, is_active=True, provider_id__in=list(codes)
    ).values_list("provider_id", "pk"):
        found[code].add(user)
    return found


def line_alerts(window: Window) -> list[Event]:
    """A measurement alert raised since the last run and still open (a device gone quiet, a
    line below its contract, a backup line never used): the school's coordinators and the
    line's provider."""
    found = list(measurements_selectors.raised_alerts(window.since))
    school_users = coordinators(alert.location.institution_id for alert in found)
    providers = _provider_users({alert.provider_id for alert in found if alert.provider_id})
    events = []
    for alert in found:
        school = alert.location.institution
        events.append(Event(
            kinds.LINE_ALERT, f"alert:{alert.pk}",
            {"alert": alert.kind, "school": school.name, "place": alert.location.name,
             "month": alert.month, "since": str(alert.details.get("last_measured_at", ""))[:10]},
            reverse("measurements:school", args=[school.number]),
            school_users[school.pk] | providers.get(alert.provider_id or "", set())))
    return events


SOURCES: tuple[Callable[[Window], list[Event]], ...] = (
    labels_expiring, framework_version, requests_confirmed, waves_opened, jobs_ended,
    line_alerts)


def note_framework_version() -> None:
    """Remember the framework version in force as announced (after a run)."""
    Mark.objects.update_or_create(
        name="framework", defaults={"value": assessment_selectors.current_framework().version,
                                    "updated_at": datetime.now().astimezone()})
