"""National numbers in free text, as contracts/vouchers.md defines them; personal identifiers
are never stored, so every place that refuses one asks `national_number_kind`.

A national number is a group of digits, possibly written with spaces, dots, dashes or slashes
between them, that stands apart (the whole text, or set off from the rest by a character that
is not a letter or digit) and that is either 11 digits passing the Belgian national-number check
(97 minus the first nine digits modulo 97, with `2` prefixed for births from 2000) or 9 digits
passing the Dutch BSN eleven-test. `85.07.30-033.28`, `ll-111222333` and `111 222 333` are
national numbers; `ll-a322741288` (digits inside a hexadecimal pseudonym) and `leerling-0042`
are not.
"""

from __future__ import annotations

import re

BELGIAN = "Belgian national number"
DUTCH = "Dutch BSN"

_DIGITS = re.compile(r"[0-9]+")
# What may stand between the digit groups of one written number: 85.07.30-033.28, 111 222 333.
_SEPARATOR = re.compile(r"[\s./-]+")


def belgian_check(digits: str) -> bool:
    """Whether 11 digits pass the rijksregisternummer check, for births before or from 2000."""
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return False
    base, check = digits[:9], int(digits[9:])
    return check in (97 - int(base) % 97, 97 - int("2" + base) % 97)


def bsn_check(digits: str) -> bool:
    """Whether 9 digits pass the BSN eleven-test: 9×d1 + 8×d2 + … + 2×d8 − d9 ≡ 0 (mod 11)."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(weight * int(d) for weight, d in zip(range(9, 1, -1), digits[:8], strict=True))
    return (total - int(digits[8])) % 11 == 0


def _apart(text: str, index: int) -> bool:
    """Whether the character at `index` sets a group off: none there, or not a letter or digit."""
    return not (0 <= index < len(text) and text[index].isalnum())


def _written_numbers(text: str) -> list[str]:
    """Every group of digits that stands apart, with its separators left out: runs of digits
    joined by separators only, from a run set off on its left to one set off on its right."""
    runs = list(_DIGITS.finditer(text))
    found = []
    for first, start in enumerate(runs):
        if not _apart(text, start.start() - 1):
            continue
        digits = ""
        for last in range(first, len(runs)):
            run = runs[last]
            if last > first and not _SEPARATOR.fullmatch(text, runs[last - 1].end(), run.start()):
                break
            digits += run.group()
            if len(digits) > 11:
                break
            if _apart(text, run.end()):
                found.append(digits)
    return found


def national_number_kind(text: str) -> str | None:
    """BELGIAN or DUTCH when the text holds a national number, else None."""
    if sum(c.isdigit() for c in text) < 9:
        return None
    for digits in _written_numbers(text):
        if belgian_check(digits):
            return BELGIAN
        if bsn_check(digits):
            return DUTCH
    return None
