"""Pupil references stay pseudonymous: a national number (core.national_numbers) is refused."""

from __future__ import annotations

from ictmonitor.core.national_numbers import BELGIAN, national_number_kind

MAX_LENGTH = 64


def problem_with(value: str) -> str | None:
    """Why a pupil reference may not be stored, or None when it may; never repeats the value."""
    if "\x00" in value:
        return "contains a NUL character"
    if len(value) > MAX_LENGTH:
        return f"is {len(value)} characters long; at most {MAX_LENGTH} fit"
    kind = national_number_kind(value)
    if kind is not None:
        digits = 11 if kind == BELGIAN else 9
        return (f"looks like a {kind} ({digits} digits); a pupil reference must be "
                "pseudonymous, never a name or a national number")
    return None
