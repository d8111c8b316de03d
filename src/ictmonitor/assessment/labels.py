"""Label dates and states (pure): validity, renewal and whether a label stands on a day."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from ictmonitor.core.translation import message as _

VALID, EXPIRED, REVOKED, NOT_YET = "valid", "expired", "revoked", "not-yet-valid"
# Lowest first. Iron is the earlier European label's level below bronze (contracts/labels.md):
# carried over and shown as such, never earned here, so the framework has no rule for it.
LEVELS = ("iron", "bronze", "silver", "gold")
CARRIED_OVER_TITLES = {"iron": _("Iron")}
DEFAULT_VALIDITY_MONTHS = 18  # contracts/labels.md: an empty valid_until is awarded_on + 18


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (31 Aug → 28 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(awarded_on: date, months: int = DEFAULT_VALIDITY_MONTHS) -> date:
    """The last day a label awarded on a day is valid."""
    return add_months(awarded_on, months)


def renewable_from(awarded_on: date, months: int) -> date:
    """The first day a new assessment may renew a label."""
    return add_months(awarded_on, months)


def status(awarded_on: date, until: date, revoked_at: datetime | None, on: date) -> str:
    """`valid`, `expired`, `revoked` or `not-yet-valid` on a day."""
    if revoked_at is not None and revoked_at.date() <= on:
        return REVOKED
    if on < awarded_on:
        return NOT_YET
    return VALID if on <= until else EXPIRED


def rank(level: str) -> int:
    """iron 1, bronze 2, silver 3, gold 4 (0 for anything else), to compare labels."""
    return LEVELS.index(level) + 1 if level in LEVELS else 0
