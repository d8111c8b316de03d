"""Every screen, export and message exists in Dutch: the catalogues are complete."""

import ast
import gettext
import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "ictmonitor"
CATALOGUES = sorted(SOURCE.glob("**/locale/nl/LC_MESSAGES/django.po"))
ENTRY = re.compile(r'(?ms)^(#, [^\n]*\n)?(?:#\|[^\n]*\n)*msgid ((?:"[^\n]*"\n)+)'
                   r'(?:msgid_plural (?:"[^\n]*"\n)+)?((?:msgstr(?:\[\d\])? (?:"[^\n]*"\n)+)+)')


def _text(quoted: str) -> str:
    return "".join(ast.literal_eval(part) for part in re.findall(r'^"(?:.*)"$', quoted, re.M))


def entries(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every live entry of a catalogue but the header."""
    text = path.read_text(encoding="utf-8")
    found = []
    for flags, msgid, msgstr in ENTRY.findall(text):
        source = _text(msgid)
        if source:
            first = re.split(r"\nmsgstr\[\d\] ", msgstr)[0]
            found.append((source, _text(first.removeprefix("msgstr[0] ").removeprefix(
                "msgstr ")), "fuzzy" in (flags or "")))
    return found


def untranslated(path: Path) -> list[str]:
    """The msgids of a catalogue that have no Dutch text or only a fuzzy guess."""
    return [source for source, text, fuzzy in entries(path) if not text or fuzzy]


def test_there_is_a_dutch_catalogue_for_the_project_and_each_app_with_its_own():
    assert SOURCE / "locale" / "nl" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_every_string_has_a_dutch_translation_and_a_compiled_catalogue(catalogue):
    assert untranslated(catalogue) == []
    compiled = catalogue.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run msgfmt"
    with compiled.open("rb") as handle:
        shipped = gettext.GNUTranslations(handle)
    stale = [source for source, text, _ in entries(catalogue)
             if "\x00" not in source and shipped.gettext(source) != text]
    assert stale == [], f"{compiled} differs from its .po: compile it again"
