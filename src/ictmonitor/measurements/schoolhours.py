"""School hours as contracts/measurements.md defines them: Monday to Friday, 08:00–17:00
Europe/Brussels (MEASUREMENTS_SCHOOL_HOURS: first and last hour; the zone in
MEASUREMENTS_TIME_ZONE)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def zone() -> ZoneInfo:
    """The zone whose calendar days and hours the figures use."""
    return ZoneInfo(getattr(settings, "MEASUREMENTS_TIME_ZONE", "Europe/Brussels"))


def local_day(moment: datetime) -> date:
    """The calendar day a moment falls on in that zone."""
    return moment.astimezone(zone()).date()


def in_school_hours(moment: datetime) -> bool:
    """Whether a moment falls in school hours."""
    start, end = getattr(settings, "MEASUREMENTS_SCHOOL_HOURS", (8, 17))
    local = moment.astimezone(zone())
    return local.weekday() < 5 and time(start) <= local.time() < time(end)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of a day and of the next, in that zone."""
    here = zone()
    return (datetime.combine(day, time(), here),
            datetime.combine(day + timedelta(days=1), time(), here))
