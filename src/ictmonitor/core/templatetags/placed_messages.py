"""Messages shown next to what they are about: a message whose extra tags are `at:ID` is shown
by the element with that id (`{{ messages|placed_at:"action-7" }}`), not with the page's other
messages at the top (`{{ messages|at_top }}`), where it would land out of sight."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()
PLACE = "at:"


def place(id_: Any) -> str:
    """The extra tags that put a message by the element of this id."""
    return f"{PLACE}{id_}"


@register.filter
def at_top(messages: Iterable[Any]) -> list[Any]:
    """The messages that name no place of their own."""
    return [m for m in messages if not (m.extra_tags or "").startswith(PLACE)]


@register.filter
def placed_at(messages: Iterable[Any], id_: Any) -> list[Any]:
    """The messages placed by the element of this id."""
    return [m for m in messages if m.extra_tags == place(id_)]
