"""Template filters of the voucher pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.contrib.messages import constants

from ictmonitor.core.translation import language

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A rate from 0 to 1 as a percentage with one decimal, in the active language."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}%"
    return text if language() == "en" else text.replace(".", ",")


@register.filter
def wave_name(wave: object) -> str:
    """A wave's name in the active language."""
    return wave.name(language()) if hasattr(wave, "name") else str(wave)


@register.filter
def errors_of(messages: Iterable[Any]) -> list[Any]:
    """The messages that say something went wrong (shown as an alert)."""
    return [m for m in messages if m.level >= constants.ERROR]


@register.filter
def notes_of(messages: Iterable[Any]) -> list[Any]:
    """The other messages: what was done (shown as a status)."""
    return [m for m in messages if m.level < constants.ERROR]
