"""Filters of the home pages."""

from __future__ import annotations

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    """A share (0–1) as a percentage with one decimal in the page's locale; — when unknown."""
    if value is None:
        return "—"
    return f"{formats.number_format(value * 100, 1)} %"


@register.filter
def points(value: float | None) -> str:
    """A change in percentage points, signed, one decimal; — when unknown."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{formats.number_format(abs(value), 1)}"
