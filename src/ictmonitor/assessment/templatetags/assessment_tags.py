"""Template helpers of the assessment pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`{{ titles|get_item:code }}`: a mapping's value for a key ('' when absent)."""
    if mapping is None:
        return ""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def score(value: Any) -> str:
    """A score 0–100 with one decimal in the active language, or an en dash when none."""
    if value is None or value == "":
        return "–"
    return str(floatformat(value, 1))
