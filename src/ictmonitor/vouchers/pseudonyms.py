"""Pupil references stay pseudonymous: a national number (core.national_numbers) is refused."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as _

from ictmonitor.core.national_numbers import BELGIAN, national_number_kind
from ictmonitor.core.problems import translated

MAX_LENGTH = 64


def problem_with(value: str) -> tuple[str, dict[str, Any]] | None:
    """Why a pupil reference may not be stored (a msgid of the code and its parameters:
    core/problems.py), or None when it may; never repeats the value."""
    if "\x00" in value:
        return _("contains a NUL character"), {}
    if len(value) > MAX_LENGTH:
        return (_("is %(length)s characters long; at most %(most)s fit"),
                {"length": len(value), "most": MAX_LENGTH})
    kind = national_number_kind(value)
    if kind is not None:
        digits = 11 if kind == BELGIAN else 9
        return (_("looks like a %(kind)s (%(digits)s digits); a pupil reference must be "
                  "pseudonymous, never a name or a national number"),
                {"kind": translated(kind), "digits": digits})
    return None
