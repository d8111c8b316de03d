"""Pupil references stay pseudonymous: anything that looks like a national number is refused."""

from __future__ import annotations

import re

MAX_LENGTH = 64
# Separators people write national numbers with: 85.07.30-033.28, 1234 56 782, 85/07/30.
_SEPARATED = re.compile(r"(?<=\d)[\s./-]+(?=\d)")
_IDENTIFIER = re.compile(r"(?<!\d)(\d{11}|\d{9})(?!\d)")


def identifier_kind(value: str) -> str | None:
    """'Belgian national number' or 'Dutch BSN' when the text carries one, else None."""
    if sum(c.isdigit() for c in value) < 9:
        return None
    found = _IDENTIFIER.search(_SEPARATED.sub("", value))
    if found is None:
        return None
    return "Belgian national number" if len(found.group(1)) == 11 else "Dutch BSN"


def problem_with(value: str) -> str | None:
    """Why a pupil reference may not be stored, or None when it may; never repeats the value."""
    if "\x00" in value:
        return "contains a NUL character"
    if len(value) > MAX_LENGTH:
        return f"is {len(value)} characters long; at most {MAX_LENGTH} fit"
    kind = identifier_kind(value)
    if kind is not None:
        digits = 11 if kind.startswith("Belgian") else 9
        return (f"looks like a {kind} ({digits} digits); a pupil reference must be "
                "pseudonymous, never a name or a national number")
    return None
