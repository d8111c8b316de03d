"""The LibreSpeed-compatible endpoints: garbage streamed in bounded 1 MiB chunks, empty as the
upload sink (no CSRF, bounded), getIP as LibreSpeed's JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024


@pytest.mark.parametrize(("asked", "chunks"), [("", 4), ("?ckSize=2", 2), ("?ckSize=0", 1),
                                               ("?ckSize=x", 4), ("?ckSize=100000", 5)])
def test_garbage_streams_the_chunks_asked_within_the_limit(settings: Any, asked: str,
                                                           chunks: int) -> None:
    settings.SPEEDTEST_MAX_CHUNKS = 5
    answer = Client().get(f"/speedtest/garbage{asked}")
    assert answer.status_code == 200 and answer.streaming
    assert int(answer["Content-Length"]) == chunks * MIB
    assert "no-store" in answer["Cache-Control"]
    body = b"".join(answer.streaming_content)
    assert len(body) == chunks * MIB
    assert len(set(body[:MIB])) > 200  # not a run of one byte: compression gains nothing


def test_the_php_names_answer_too() -> None:
    assert Client().get("/speedtest/garbage.php?ckSize=1").status_code == 200
    assert Client().get("/speedtest/empty.php").status_code == 200
    assert Client().get("/speedtest/getIP.php").status_code == 200


def test_empty_takes_an_upload_without_csrf_and_bounds_it(settings: Any) -> None:
    settings.SPEEDTEST_MAX_UPLOAD_BYTES = 2 * MIB
    client = Client(enforce_csrf_checks=True)
    taken = client.post("/speedtest/empty", data=b"\x01" * MIB,
                        content_type="application/octet-stream")
    assert (taken.status_code, taken.content) == (200, b"")
    too_much = client.post("/speedtest/empty", data=b"\x01" * (3 * MIB),
                           content_type="application/octet-stream")
    assert too_much.status_code == 413


def test_empty_answers_400_to_a_length_that_is_not_a_number() -> None:
    answer = Client().post("/speedtest/empty", data=b"\x01",
                           content_type="application/octet-stream", CONTENT_LENGTH="twelve")
    assert answer.status_code == 400


def test_get_ip_answers_as_librespeed_does() -> None:
    answer = Client(REMOTE_ADDR="198.51.100.7").get("/speedtest/getIP?cors=true")
    assert answer.json() == {"processedString": "198.51.100.7", "rawIspInfo": ""}
    assert answer["Access-Control-Allow-Origin"] == "*"
