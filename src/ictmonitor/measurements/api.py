"""The measuring agents' API: a device posts a batch of measurements with its device token
(`Authorization: Bearer ictd_...`), not a user's. Each item is answered accepted, duplicate or
refused with its reason (contracts/measurements.md); the same batch again changes nothing. The
answer comes once the accepted items are stored; the worker adds them to the measurements
within seconds (ingest.receive, inbox.py). A provider or the department sends measurements as a
file (`/measurements/feeds`), as a job."""

# No `from __future__ import annotations`: ninja reads the types at import time.
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import override
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from ictmonitor.api.auth import QuietBearer
from ictmonitor.api.common import api_language, errors
from ictmonitor.jobs.api import QUEUED, queued_response
from ictmonitor.measurements import tokens
from ictmonitor.measurements.ingest import MAX_BATCH, ingest, receive
from ictmonitor.measurements.models import DeviceToken

router = Router(tags=["measurements"])


class DeviceTokenAuth(QuietBearer):
    """`Authorization: Bearer ictd_...`: a measuring device's token, issued on the location's
    page of measuring devices. A user's token or session is no device's."""

    openapi_bearerFormat = "ictd_<prefix>_<secret>"
    openapi_description = ("A measuring device's token (one per device at a location, issued "
                           "by its coordinator or provider), as `Authorization: Bearer ictd_...`.")

    def authenticate(self, request: HttpRequest, token: str) -> DeviceToken | None:
        return tokens.authenticate(token)


class BatchIn(Schema):
    """Up to 500 measurements, each with the contract's fields (`measured_at`, `kind`, `path`,
    `download_mbps`, `upload_mbps`, `latency_ms`, `jitter_ms`, `loss_pct`, `reachable`) and
    optionally `key`, the agent's own name for it, echoed in the answer."""

    measurements: list[Any] = Field(max_length=MAX_BATCH)


class ItemOut(Schema):
    index: int = Field(ge=0, description="The item's place in the batch, from 0.")
    key: str = Field(description="The item's `key`, else `measured_at/kind`.")
    status: str = Field(description="`accepted` (received and stored: it is among the "
                        "school's measurements within seconds), `duplicate` (stored already: "
                        "nothing changed) or `refused` (never stored; do not send it again). "
                        "An item sent again before its first copy was added is answered "
                        "`accepted` again and then dropped as stored already: never twice.")
    reason: str | None = Field(None, description="Why it was refused: the field and what is "
                               "wrong with it.")


class BatchOut(Schema):
    accepted: int = Field(ge=0)
    duplicates: int = Field(ge=0)
    refused: int = Field(ge=0)
    results: list[ItemOut]


@router.post("/measurements/batches", response={200: BatchOut, **errors()}, auth=DeviceTokenAuth(),
             summary="A measuring device posts a batch of measurements")
def post_batch(request: HttpRequest, batch: BatchIn) -> HttpResponse:
    """Store what a device measured; idempotent on each measurement's key (location, device,
    measured_at, kind), so a batch sent again after a network failure doubles nothing. The
    answer comes once the accepted items are stored for good; they are added to the school's
    measurements and its day figures in the background, within seconds (until then its pages
    say how many are being processed)."""
    return answer_batch(request, request.auth, batch.measurements)  # type: ignore[attr-defined]


def answer_batch(request: HttpRequest, token: DeviceToken, items: list[Any]) -> HttpResponse:
    """A device's batch received and answered (this operation's work, and the fast lane's:
    measurements/fastlane.py): each item's fate, its reasons in the language asked for."""
    with override(api_language(request)):  # the reasons: English, or Dutch if asked for
        if getattr(settings, "MEASUREMENTS_FOLD_IN_REQUEST", False):
            answer = ingest(token, items)  # the tests: folded at once
        else:
            answer = receive(token, items)
    # BatchOut's shape, written once: 200 agents post at the same instant, and validating
    # each of the answer's items again against the schema cost more than making them.
    return HttpResponse(answer.as_bytes(), content_type="application/json")


@router.post("/measurements/feeds", response=QUEUED, summary="Send a measurements file",
             operation_id="send_measurement_feed")
def send_feed(request: HttpRequest, response: HttpResponse, file: File[UploadedFile]) -> Any:
    """Queue a measurements file (contracts/measurements.md) as a job: 202 with the job and its
    address (also in `Location`). Poll the job: it is imported whole or refused whole, its
    result lists each problem by line and column. A provider may send only measurements of its
    own lines; measurements stored already change nothing."""
    return queued_response(request, response, file, "measurements")
