"""The one way text written in Python is translated: gettext, with English source strings and
the Dutch in locale/nl (`Text` with a text per language is only for content read from data
files: frameworks, catalogues, scenarios).

`language()` is the language a page is shown in; `Message` is a text of the code kept until it
is shown in a language asked for by name (a report in English from a Dutch page, a file made on
the command line), translated by gettext then.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.formats import number_format
from django.utils.translation.trans_real import parse_accept_lang_header

LANGUAGES = ("nl", "en")


def language() -> str:
    """The language of the request being answered: "en" for English, else "nl" (the default)."""
    return "en" if (translation.get_language() or "").startswith("en") else "nl"


def known_language(asked: str | None) -> str:
    """The language asked for if it is one of ours, else the page's."""
    return asked if asked in LANGUAGES else language()


def terminal_language(environ: Mapping[str, str] | None = None) -> str:
    """The language a command speaks: the terminal's (LC_ALL, LC_MESSAGES, LANG, the first
    set, as gettext reads them: `en_GB.UTF-8` is English), else the site's default."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value.split(".", 1)[0].split("_", 1)[0].lower()
            return code if code in LANGUAGES else settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


def asked_language(accept_language: str, default: str = "en") -> str:
    """The first of our languages an Accept-Language header asks for (`nl-BE,nl;q=0.9` is
    Dutch), else `default`: what the API answers in (English unless Dutch is asked for)."""
    asked = parse_accept_lang_header(accept_language or "")
    for code, _quality in asked:
        base = code.split("-", 1)[0]
        if base in LANGUAGES:
            return base
    return default


def grouped(number: int, language: str | None = None) -> str:
    """A whole number with its thousands grouped as a language writes them (the active one
    unless named): 4,097 in English, 4.097 in Dutch."""
    if language is None:
        return number_format(number, force_grouping=True)
    with translation.override(language):
        return number_format(number, force_grouping=True)


def month_name(month: int, language: str) -> str:
    """A month's name (1 = January) as Django's catalogues give it: `januari`, `January`."""
    with translation.override(language):
        return str(MONTHS[month])


@dataclass(frozen=True)
class Message:
    """An English text of the code, translated by gettext when it is shown."""

    source: str

    def __call__(self, language: str) -> str:
        """The text in a language ("en" or "nl")."""
        with translation.override(language):
            return translation.gettext(self.source)

    def __str__(self) -> str:
        """The text in the active language."""
        return translation.gettext(self.source)


def message(source: str) -> Message:
    """A text to translate when shown; imported as `_` so makemessages finds it."""
    return Message(source)
