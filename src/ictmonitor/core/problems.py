"""Problems found in an input file, reported as FILE:LINE: column NAME: what is wrong.

A problem keeps what is wrong as an English message of the code (a gettext msgid, marked with
`gettext_noop` so makemessages finds it) and its named parameters, and is put into words when
it is shown, in the language of whoever reads it: a refused file's problems are stored on its
import run that way (`ProblemList.stored`, JSON), so the job's page shows them in Dutch to a
Dutch reader though an English one queued the file, the API in the language it was asked in,
the command line in its terminal's (`lines(language)`). `str(problem)` is the English text.

A parameter is a plain value, or one of the markers below, put into words when shown as well:
`translated(msgid)` (a word of the code), `kind_name(code)` (what a kind of import is called),
`number(n)` (digits grouped as the language groups them), `either(words)` (one of several
values: "speed or ping or failover"); header columns as `{"columns": [[position, name], …]}`.
Problems stored before (plain text)
are shown as they were written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from ictmonitor.core.importkinds import run_label

SOURCE_LANGUAGE = "en"


def translated(msgid: str) -> dict[str, str]:
    """A parameter that is itself a text of the code (mark it with gettext_noop)."""
    return {"text": msgid}


def kind_name(code: str) -> dict[str, str]:
    """A parameter naming a kind of import (`enrolments` → "pupil counts")."""
    return {"run_kind": code}


def number(value: int) -> dict[str, int]:
    """A parameter that is a large number: 131,072 in English, 131.072 in Dutch."""
    return {"number": value}


def either(words: list[str]) -> dict[str, list[str]]:
    """A parameter naming the values allowed: "primary or backup"."""
    return {"either": list(words)}


@contextlib.contextmanager
def _speaking(language: str | None) -> Iterator[None]:
    """gettext in `language`; in the active language when None."""
    if language is None:
        yield
    else:
        with translation.override(language):
            yield


def _word(value: Any) -> Any:
    """A parameter's value as it is shown, in the active language."""
    if isinstance(value, Mapping):
        if "text" in value:
            return gettext(value["text"])
        if "run_kind" in value:
            return run_label(value["run_kind"])
        if "number" in value:
            return number_format(value["number"], force_grouping=True)
        if "either" in value:  # speed or ping or failover
            words = [str(word) for word in value["either"]]
            said = words[0] if words else ""
            for word in words[1:]:
                said = gettext("%(first)s or %(second)s") % {"first": said, "second": word}
            return said
        if "columns" in value:  # header columns: column 3 ("naam") and column 9 ("NAAM")
            places = [gettext('column %(number)s ("%(name)s")') % {"number": n, "name": name}
                      for n, name in value["columns"]]
            if len(places) < 2:
                return "".join(places)
            return gettext("%(first)s and %(last)s") % {"first": ", ".join(places[:-1]),
                                                        "last": places[-1]}
    return value


def say(message: str, params: Mapping[str, Any] | None = None,
        language: str | None = None) -> str:
    """A message of the code with its parameters, in `language` (None: the active one).
    A translation that does not fit its parameters falls back to the English."""
    with _speaking(language):
        text = gettext(message)
        if not params:
            return text
        values = {name: _word(value) for name, value in params.items()}
        try:
            return text % values
        except (KeyError, ValueError, TypeError):
            return message % values


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one line (and column) of one file; line 0: the file as a whole."""

    file: str
    line: int
    column: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def text(self, language: str | None = None) -> str:
        """The problem in words, FILE:LINE: column NAME: …, in `language` (None: the active)."""
        with _speaking(language):
            what = say(self.message, self.params)
            if self.line <= 0:
                return f"{self.file}: {what}"
            if self.column:
                return gettext("%(file)s:%(line)s: column %(column)s: %(message)s") % {
                    "file": self.file, "line": self.line, "column": self.column,
                    "message": what}
            return f"{self.file}:{self.line}: {what}"

    def __str__(self) -> str:
        return self.text(SOURCE_LANGUAGE)

    def stored(self) -> dict[str, Any]:
        """The problem as an import run keeps it (JSON), to be put into words when shown."""
        return {"file": self.file, "line": self.line, "column": self.column,
                "message": self.message, "params": dict(self.params)}


def shown(stored: Iterable[Any], language: str | None = None) -> list[str]:
    """Stored problems (or warnings) in words, in `language` (None: the active one); plain
    text stored before problems kept their parameters is shown as written."""
    out = []
    for item in stored or ():
        if isinstance(item, Mapping) and "hidden" in item:
            out.append(_not_listed(str(item.get("file", "")), int(item["hidden"]), language))
        elif isinstance(item, Mapping) and "message" in item:
            out.append(Problem(str(item.get("file", "")), int(item.get("line") or 0),
                               str(item.get("column") or ""), str(item["message"]),
                               dict(item.get("params") or {})).text(language))
        else:
            out.append(str(item))
    return out


def _not_listed(file: str, hidden: int, language: str | None) -> str:
    with _speaking(language):
        return ngettext("%(file)s: … and %(count)s more problem not listed",
                        "%(file)s: … and %(count)s more problems not listed", hidden) % {
            "file": file, "count": hidden}


def whole_file(file: str, message: str, **params: Any) -> dict[str, Any]:
    """A stored problem of the file as a whole ("FILE: the import stopped …")."""
    return Problem(file, 0, "", message, params).stored()


class ProblemList:
    """Collects problems up to a limit, counting those beyond it."""

    def __init__(self, file: str, limit: int) -> None:
        self.file = file
        self.limit = limit
        self.items: list[Problem] = []
        self.total = 0

    def add(self, line: int, column: str, message: str, /, **params: Any) -> None:
        """Record a problem (a msgid and its named parameters); beyond the limit it is only
        counted."""
        self.total += 1
        if len(self.items) < self.limit:
            self.items.append(Problem(self.file, line, column, message, params))

    def __bool__(self) -> bool:
        return self.total > 0

    def stored(self) -> list[dict[str, Any]]:
        """The problems in file order as an import run keeps them, with a tail for those not
        listed."""
        out = [p.stored() for p in sorted(self.items, key=lambda p: (p.line, p.column))]
        hidden = self.total - len(self.items)
        if hidden:
            out.append({"file": self.file, "hidden": hidden})
        return out

    def lines(self, language: str | None = SOURCE_LANGUAGE) -> list[str]:
        """The problems as lines of text, in file order, with a tail for those not listed;
        in English unless asked otherwise (None: the active language)."""
        return shown(self.stored(), language)


class ImportRefused(Exception):
    """The file was refused whole; nothing was written."""

    def __init__(self, problems: ProblemList) -> None:
        super().__init__(f"{problems.total} problems")
        self.problems = problems
