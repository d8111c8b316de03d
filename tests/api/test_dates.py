"""Every date the API takes is an ISO date, YYYY-MM-DD; anything else is a 422, not a guess
(pydantic alone reads `0` as 1 January 1970 and `1700000000` as a day in 2023)."""

from __future__ import annotations

from typing import Any

import pytest

from ictmonitor.api.api import api

pytestmark = pytest.mark.django_db

NOT_ISO = ["0", "1700000000", "20250701", "2025-7-1", "01/07/2025", "2025-07-01T00:00:00",
           "２０２５-０７-０１", "2025-02-30"]


@pytest.mark.parametrize("value", NOT_ISO)
def test_a_date_in_the_query_must_be_an_iso_date(token_client, value):
    answer = token_client("analyst").get("/api/v1/connectivity/lines", {"active_on": value})
    assert answer.status_code == 422, answer.content
    problem = answer.json()["detail"][0]
    assert problem["loc"][-1] == "active_on" and "YYYY-MM-DD" in problem["msg"] or (
        value == "2025-02-30")  # ISO in form, but no such day: pydantic says so itself


def test_an_iso_date_in_the_query_is_taken(token_client):
    answer = token_client("analyst").get("/api/v1/connectivity/lines", {"active_on": "2025-07-01"})
    assert answer.status_code == 200


@pytest.mark.parametrize("value", [0, 1700000000, "0", "2025-07-01T10:00:00"])
def test_a_date_in_a_body_must_be_an_iso_date(token_client, value):
    answer = token_client("provider").post("/api/v1/vouchers/activations",
                                          {"code": "T-0001", "activated_on": value},
                                          content_type="application/json")
    assert answer.status_code == 422, answer.content
    assert answer.json()["detail"][0]["loc"][-1] == "activated_on"


def date_inputs(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(method, path, parameter) of every query or path parameter that is a date."""
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                kinds = [parameter["schema"], *parameter["schema"].get("anyOf", [])]
                if any(kind.get("format") == "date" for kind in kinds):
                    found.append((method, path, parameter["name"]))
    return found


def test_every_date_parameter_of_the_api_refuses_a_number(token_client):
    client = token_client("admin")
    inputs = date_inputs(api.get_openapi_schema())
    assert ("get", "/api/v1/connectivity/lines", "active_on") in inputs
    for method, path, name in inputs:
        assert "{" not in path, f"{path}: a date in the path; give it an example here"
        answer = getattr(client, method)(path, {name: "0"})
        assert answer.status_code == 422, (method, path, name, answer.content)
