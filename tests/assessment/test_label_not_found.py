"""An unknown label's verification page says the certificate may not be genuine (issue 17 item
6), rather than the site's bare "page not found"."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["not-a-token", "x" * 500, "bad token!"])
def test_an_unknown_label_says_the_certificate_may_not_be_genuine(client, token):
    page = client.get(reverse("labels:verify", args=[token]))
    assert page.status_code == 404
    html = page.content.decode()
    assert "Label niet gevonden: dit certificaat is mogelijk niet echt." in html
    assert page["X-Robots-Tag"] == "noindex"
