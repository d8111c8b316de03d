"""Row ids as a link or a form sends them (?id=N), read the one way every view reads them."""

from __future__ import annotations

from django.http import Http404, HttpRequest

# A 64-bit key has at most 19 digits; 18 always fit.
MOST_DIGITS = 18


def parsed_id(given: str | None) -> int | None:
    """The id a text names, or None: 1 to 18 ASCII digits, not 0. (str.isdigit() also takes
    "²" and "١", which int() refuses or reads as another number.)"""
    if (given and given.isascii() and given.isdigit() and len(given) <= MOST_DIGITS
            and int(given) != 0):
        return int(given)
    return None


def query_id(request: HttpRequest, name: str = "id") -> int | None:
    """A numeric id from the query string (?id=N); absent is None, anything else a 404."""
    given = request.GET.get(name)
    if given in (None, ""):
        return None
    found = parsed_id(given)
    if found is None:
        raise Http404("No such item")
    return found
