"""Posting queued results to ictmonitor in batches, with the device token."""

from __future__ import annotations

import http.client
import json
import logging
from dataclasses import dataclass

from ictmonitor_agent.http import connect
from ictmonitor_agent.queue import Queue

log = logging.getLogger("ictmonitor_agent")
INGEST = "api/v1/measurements/batches"


class TokenRefused(RuntimeError):
    """ictmonitor does not know the device token (revoked, or mistyped)."""


@dataclass
class Posted:
    accepted: int = 0
    duplicates: int = 0
    refused: int = 0


def post_batch(url: str, token: str, results: list[dict], timeout: float = 30.0) -> dict:
    """One batch to the ingest; its answer. OSError when ictmonitor cannot be reached."""
    connection, path = connect(url, timeout)
    body = json.dumps({"measurements": results}).encode()
    try:
        connection.request("POST", path, body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json",
            "Accept": "application/json", "User-Agent": "ictmonitor-agent"})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
    except http.client.HTTPException as error:  # a broken answer: as unreachable, kept queued
        raise OSError(f"ictmonitor's answer was broken: {error!r}") from error
    finally:
        connection.close()
    if response.status == 401:
        raise TokenRefused("ictmonitor refused the device token (revoked or wrong)")
    if response.status != 200:
        raise OSError(f"ictmonitor answered {response.status}: {text[:200]}")
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
        # a proxy's or captive portal's page, not ictmonitor's answer: kept queued
        raise OSError(f"ictmonitor's answer is not its batch answer: {text[:200]}")
    return answer


def flush(queue: Queue, ingest_url: str, token: str, batch_size: int = 100) -> Posted:
    """Post every waiting result, a batch at a time, until none waits or ictmonitor cannot be
    reached (OSError: what was not answered stays queued for the next time)."""
    posted = Posted()
    while True:
        batch = queue.oldest(batch_size)
        if not batch:
            return posted
        answer = post_batch(ingest_url, token, [result for _, result in batch])
        for item in answer["results"]:
            path, result = batch[item["index"]]
            if item["status"] == "refused":
                log.warning("ictmonitor refused %s: %s", result.get("key"), item.get("reason"))
                queue.refuse(path, result, str(item.get("reason")))
                posted.refused += 1
            else:
                queue.done(path)
                posted.accepted += item["status"] == "accepted"
                posted.duplicates += item["status"] == "duplicate"
