"""Writes of notifications: the daily run (find events, keep a notification per user and
event, send each user one e-mail of what is new), a user's choices, read marks."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit, stamp, who
from ictmonitor.notifications.kinds import KINDS, text_of
from ictmonitor.notifications.models import Mark, Notification, Preference
from ictmonitor.notifications.sources import SOURCES, Event, Window, note_framework_version

log = logging.getLogger(__name__)

# The first run looks back this far.
FIRST_LOOK_BACK = timedelta(days=1)
# An e-mail tells what is at most this old (a run missed for a few days still catches up).
DIGEST_DAYS = timedelta(days=7)


@dataclass(frozen=True)
class RunResult:
    """What a daily run did: events found, notifications kept, e-mails sent."""

    events: int
    notifications: int
    emails: int


def choices_of(user_ids: Iterable[int]) -> dict[tuple[int, str], tuple[bool, bool]]:
    """(user id, kind) → (in the app, by e-mail), for the choices users made (else both)."""
    return {(user, kind): (in_app, by_email) for user, kind, in_app, by_email in
            Preference.objects.filter(user_id__in=list(user_ids))
            .values_list("user_id", "kind", "in_app", "by_email")}


def _since(now: datetime) -> datetime:
    mark = Mark.objects.filter(name="run").first()
    found = parse_datetime(mark.value) if mark else None
    return found or now - FIRST_LOOK_BACK


def keep(events: list[Event], now: datetime) -> int:
    """A notification per user and event, unless the user chose neither way for its kind or
    was told of the event before. Returns how many are new."""
    chosen = choices_of({user for event in events for user in event.users})
    rows = []
    for event in events:
        for user in sorted(event.users):
            in_app, by_email = chosen.get((user, event.kind), (True, True))
            if in_app or by_email:
                rows.append(Notification(user_id=user, kind=event.kind, key=event.key,
                                         params=event.params, url=event.url, in_app=in_app,
                                         by_email=by_email, created_at=now))
    before = Notification.objects.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return Notification.objects.count() - before


def _digest(user: Any, notes: list[Notification]) -> EmailMessage:
    site = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext("ictmonitor: %(count)d new notification",
                           "ictmonitor: %(count)d new notifications", len(notes)) % {
            "count": len(notes)}
        lines = [_("Hello %(name)s,") % {"name": user.get_full_name() or user.get_username()},
                 "", _("What is new for you in ictmonitor:"), ""]
        for note in notes:
            lines += [f"- {text_of(note.kind, note.params)}", f"  {site}{note.url}"]
        lines += ["", _("Choose what you receive: %(url)s") % {
            "url": f"{site}{reverse('notifications:preferences')}"}]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [user.email])


def send_digests(now: datetime) -> int:
    """One e-mail per user of every notification of the last DIGEST_DAYS chosen by e-mail and
    not yet sent; a user without an address gets none (the notifications stay in the app, and
    an address added later brings no old news). Returns e-mails sent."""
    waiting: dict[int, list[Notification]] = defaultdict(list)
    for note in Notification.objects.filter(
            by_email=True, emailed_at__isnull=True, created_at__gte=now - DIGEST_DAYS
    ).order_by("created_at", "pk"):
        waiting[note.user_id].append(note)
    users = get_user_model().objects.in_bulk(list(waiting))
    sent = 0
    mailer = mailers.default
    with mailer:
        for user_id, notes in waiting.items():
            user = users.get(user_id)
            if user is None or not user.email or not user.is_active:
                continue
            mailer.send_messages([_digest(user, notes)])
            Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
            sent += 1
    return sent


def run_daily(now: datetime | None = None) -> RunResult:
    """The daily run (`ictmonitor notify`): the events since the last run, kept as
    notifications, then the e-mails. The run's start is where the next one looks from."""
    now = now or timezone.now()
    window = Window(_since(now), timezone.localdate(now))
    events = [event for source in SOURCES for event in source(window)]
    with transaction.atomic():
        kept = keep(events, now)
        note_framework_version()
        Mark.objects.update_or_create(name="run", defaults={"value": now.isoformat(),
                                                            "updated_at": now})
        audit("notify", now, AuditEntry.Action.CREATE, Notification, "daily-run",
              {"notifications": (None, kept)})
    emails = send_digests(now)
    log.info("notify: %s events, %s notifications, %s e-mails", len(events), kept, emails)
    return RunResult(len(events), kept, emails)


def set_choices(user: Any, choices: dict[str, tuple[bool, bool]], by: Any) -> int:
    """Save a user's choice (in the app, by e-mail) for each kind; every change audited.
    Returns how many kinds changed."""
    now = timezone.now()
    _user, actor = who(by)
    current = {kind: (in_app, by_email) for (_u, kind), (in_app, by_email)
               in choices_of([user.pk]).items()}
    changed = 0
    with transaction.atomic():
        for kind, (in_app, by_email) in choices.items():
            if kind not in KINDS:
                continue
            old = current.get(kind, (True, True))
            if old == (in_app, by_email):
                continue
            row, created = Preference.objects.get_or_create(
                user=user, kind=kind, defaults={"in_app": in_app, "by_email": by_email,
                                                **stamp(actor, now, created=True)})
            if not created:
                Preference.objects.filter(pk=row.pk).update(
                    in_app=in_app, by_email=by_email, **stamp(actor, now))
            audit(by, now, AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
                  Preference, f"{user.get_username()}:{kind}",
                  {"in_app": (old[0], in_app), "by_email": (old[1], by_email)})
            changed += 1
    return changed


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (the ones given, else all). Returns how many."""
    found = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        found = found.filter(pk__in=list(ids))
    return found.update(read_at=timezone.now())
