"""Publishing a release (reports.md: public outputs come
from releases; a new release is protected together with the earlier ones)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import WriteRefused, audit, stamp, who
from ictmonitor.reports.engine import catalogue
from ictmonitor.reports.frozen import freeze
from ictmonitor.reports.models import Release


def last_releasable_day() -> date:
    """The latest day a release may state: yesterday (today's figures are not final)."""
    return timezone.localdate() - timedelta(days=1)


def publish_release(on: date, by: Any) -> Release:
    """Record `on` as a release. Refused for today or a day still to come (its figures are not
    final: what is recorded later today would change a published release, and the difference
    would single it out) and for a day not after the latest release (the earlier releases'
    protection was planned without it, so slipping it in between would change figures already
    published)."""
    now = timezone.now()
    if on >= timezone.localdate(now):
        raise WriteRefused(_("%(day)s is not over yet: a release states the figures of a day "
                             "that has passed.") % {"day": on.isoformat()}, "refused")
    with transaction.atomic():
        latest = Release.objects.select_for_update().order_by("-on").first()
        if latest is not None and latest.on == on:
            raise WriteRefused(_("%(day)s is already a release.") % {"day": on.isoformat()},
                               "conflict")
        if latest is not None and on < latest.on:
            raise WriteRefused(_("%(day)s is before the latest release, %(latest)s: a new "
                                 "release must come after it.")
                               % {"day": on.isoformat(), "latest": latest.on.isoformat()},
                               "refused")
        _user, actor = who(by)
        release = Release.objects.create(on=on, **stamp(actor, now, created=True))
        freeze(release, catalogue().values())
        audit(by, now, AuditEntry.Action.CREATE, "reports.release", on.isoformat(),
              {"on": (None, on)})
    return release
