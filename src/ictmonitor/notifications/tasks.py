"""The daily run as a task the worker runs (`ictmonitor notify --schedule` queues the first):
each run queues the next, at DIGEST_HOUR the next day, so the e-mails go out once a day with no
cron. A run that comes twice in a day tells nothing twice (services.run_daily)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from ictmonitor.notifications.models import Mark
from ictmonitor.notifications.services import run_daily

DIGEST_HOUR = 6  # the local hour the daily e-mails go out


def next_run(now: datetime) -> datetime:
    """The next DIGEST_HOUR o'clock (local time) after `now`."""
    local = timezone.localtime(now)
    at = timezone.make_aware(datetime.combine(local.date(), time(DIGEST_HOUR)))
    return at if at > local else timezone.make_aware(
        datetime.combine(local.date() + timedelta(days=1), time(DIGEST_HOUR)))


def schedule(now: datetime | None = None) -> datetime | None:
    """Queue the next daily run, unless one is queued already; returns when it runs (None:
    one was queued)."""
    now = now or timezone.now()
    mark = Mark.objects.filter(name="scheduled").first()
    if mark is not None and datetime.fromisoformat(mark.value) > now:
        return None
    when = next_run(now)
    daily.using(backend=settings.JOBS_TASK_BACKEND, run_after=when).enqueue()
    Mark.objects.update_or_create(name="scheduled", defaults={"value": when.isoformat(),
                                                              "updated_at": now})
    return when


@task()
def daily() -> str:
    """The daily run, then the next one queued."""
    result = run_daily()
    Mark.objects.filter(name="scheduled").delete()
    schedule()
    return f"{result.notifications} notifications, {result.emails} e-mails"
