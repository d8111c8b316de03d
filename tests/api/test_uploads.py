"""A feed upload whose multipart body cannot be read answers a JSON 400, never Django's HTML."""

from __future__ import annotations

import pytest
from django.test import Client

from ictmonitor.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

BOUNDARY = "0cbaf13a1be93b69502e6ad5fed99dfe"
# A part whose headers never end: Django's multipart parser gives up on it.
BROKEN = f"--{BOUNDARY}\r\n" + "X-Padding: " + "a" * 20_000 + f"--{BOUNDARY}--\r\n"


@pytest.mark.parametrize("url", ["/api/v1/connectivity/feeds", "/api/v1/vouchers/feeds"])
def test_an_unreadable_upload_answers_400_in_json(user_factory, url: str) -> None:
    secret = ApiToken.issue(user_factory("analyst"), "tests")[1]
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    answer = client.post(url, data=BROKEN,
                         content_type=f"multipart/form-data; boundary={BOUNDARY}")

    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    assert "multipart/form-data" in answer.json()["detail"]
