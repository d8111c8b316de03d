"""A paid line request is checked on its own page before it is sent (issue 17 item 5): the
review sends nothing, shows what is asked and what it costs, and carries the choices on."""

from __future__ import annotations

import re
from html import unescape

import pytest

from ictmonitor.connectivity.models import Request
from tests.connectivity.test_pages import (  # noqa: F401 (fixtures)
    choose,
    coordinator,
    schools,
)

pytestmark = pytest.mark.django_db


def kept_fields(html: str) -> dict[str, list[str]]:
    """The hidden fields the review page sends on."""
    found: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html):
        if name != "csrfmiddlewaretoken":
            found.setdefault(name, []).append(unescape(value))
    return found


def test_the_review_sends_nothing_and_its_send_button_does(coordinator, schools):  # noqa: F811
    review = choose(coordinator, schools.two, "review", modules=["firewall", "wifi"],
                    access_points="4")
    assert review.status_code == 200
    html = review.content.decode()
    assert "Kijk uw aanvraag na" in html and "Er is nog niets verstuurd" in html
    assert "Firewall" in html and "met btw" in html
    assert not Request.objects.exists()
    kept = kept_fields(html)
    assert kept["modules"] == ["firewall", "wifi"] and kept["access_points"] == ["4"]
    sent = coordinator.post(review.request["PATH_INFO"], {**kept, "action": "submit"})
    assert sent.status_code == 302
    request = Request.objects.get()
    assert request.access_points == 4


def test_an_invalid_choice_is_not_reviewed_but_shown_with_its_problem(
        coordinator, schools):  # noqa: F811
    answer = choose(coordinator, schools.two, "review", modules=["wifi"])  # no access points
    html = answer.content.decode()
    assert "Kijk uw aanvraag na" not in html and 'class="error-summary"' in html
    assert not Request.objects.exists()
