"""Every text the reports write is translated one way, by gettext: each is an English msgid the
Dutch catalogue has, shown in the language asked for whatever the page's language is."""

from __future__ import annotations

import pytest
from django.utils import translation

from ictmonitor.core.disclosure import RULE
from ictmonitor.core.translation import Message, known_language, language, message
from ictmonitor.reports.engine import STOCKS_NOT_ADDED, catalogue
from ictmonitor.reports.formatting import DIMENSIONS, WORDS, format_cell
from tests.test_translations import CATALOGUES, SOURCE, entries

DUTCH = {source: text for source, text, _ in entries(
    SOURCE / "locale" / "nl" / "LC_MESSAGES" / "django.po")}


def report_texts() -> list[Message]:
    """Every text of the catalogue, the fixed words and the rules."""
    found: list[Message] = [RULE, STOCKS_NOT_ADDED, *WORDS.values(), *DIMENSIONS.values()]
    for report in catalogue().values():
        found += [report.title, report.question, report.source,
                  *(m.label for m in report.measures),
                  *(text for m in report.measures for _code, text in m.words)]
    return found


def test_every_report_text_is_a_msgid_of_the_dutch_catalogue():
    assert CATALOGUES
    texts = report_texts()
    assert all(isinstance(text, Message) for text in texts)
    assert [t.source for t in texts if t.source not in DUTCH] == []


@pytest.mark.parametrize("page", ["nl", "en"])
def test_a_text_is_shown_in_the_language_asked_for_not_the_pages(page):
    title = catalogue()["voucher-summary"].title
    with translation.override(page):
        assert title("nl") == "Internetvouchers voor leerlingen"
        assert title("en") == "Home-internet vouchers for pupils"
        assert str(title) == title(page)
        assert language() == page
        assert known_language("en") == "en" and known_language("fr") == page


def test_a_phrase_keeps_its_words_in_order_in_both_languages():
    per = WORDS["per"]
    values = {"measure": "scholen", "dimensions": "provincie"}
    assert per("nl") % values == "scholen per provincie"
    assert per("en") % values == "scholen by provincie"
    assert message("Total")("nl") == "Totaal"


def test_a_status_code_is_read_as_words_on_screen_and_kept_as_a_code_in_the_data():
    status = next(m for m in catalogue()["line-status"].measures if m.code == "status")
    assert format_cell({"status": "at-risk"}, status, "nl") == "in gevaar"
    assert format_cell({"status": "at-risk"}, status, "en") == "at risk"
    assert format_cell({"status": "never"}, status, "nl") == "nooit gemeten"
    assert format_cell({"status": "unknown"}, status, "en") == "unknown"  # no word: the code
