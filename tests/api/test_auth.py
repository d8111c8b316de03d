"""Who may call the API: a Bearer token or a browser session, nobody else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from ictmonitor.accounts.models import ApiToken

ENDPOINTS = ["/api/v1/schools", "/api/v1/schools/100001", "/api/v1/schools/100001/locations"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_request_without_credentials_gets_a_json_401(registry, url):
    response = Client().get(url)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Unauthorized"}


def test_an_analyst_token_reads_the_api(registry, token_client):
    response = token_client("analyst").get("/api/v1/schools")
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_a_revoked_token_gets_401(registry, token_client):
    client = token_client("analyst")
    assert client.get("/api/v1/schools").status_code == 200
    ApiToken.objects.filter(pk=client.token.pk).update(revoked_at=timezone.now())
    assert client.get("/api/v1/schools").status_code == 401


def test_the_token_of_a_deactivated_user_gets_401(registry, token_client):
    client = token_client("analyst")
    client.user.is_active = False
    client.user.save()
    assert client.get("/api/v1/schools").status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer ictm_00000000_wrong",
        "Bearer ictm_" + "x" * 500,
        "Bearer ictm_0000\x00_x",
        "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
        "Bearer",
    ],
)
def test_a_malformed_or_unknown_token_gets_401(registry, user_factory, header):
    ApiToken.issue(user_factory("analyst"), "real one")
    response = Client(headers={"Authorization": header}).get("/api/v1/schools")
    assert response.status_code == 401


def test_a_token_with_a_right_prefix_but_wrong_secret_gets_401(registry, token_client):
    client = token_client("analyst")
    forged = f"ictm_{client.token.prefix}_{'A' * 43}"
    assert (
        Client(headers={"Authorization": f"Bearer {forged}"}).get("/api/v1/schools").status_code
        == 401
    )


def test_using_a_token_records_when_it_was_last_used(registry, token_client):
    client = token_client("analyst")
    assert client.token.last_used_at is None
    client.get("/api/v1/schools")
    client.token.refresh_from_db()
    assert client.token.last_used_at is not None


def test_a_logged_in_browser_reads_the_api_with_its_session(registry, client_for):
    response = client_for("analyst").get("/api/v1/schools/100001")
    assert response.status_code == 200
    assert response.json()["number"] == "100001"


def test_a_forged_session_cookie_gets_401(registry):
    client = Client()
    for value in ["0" * 32, "not a key\x00", "é" * 10]:
        client.cookies["sessionid"] = value
        assert client.get("/api/v1/schools").status_code == 401


def test_the_schema_is_public_and_documents_both_ways_in(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "ictmonitor API"
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiTokenAuth"]["type"] == "http"
    assert schemes["ApiTokenAuth"]["scheme"] == "bearer"
    assert schemes["BrowserSessionAuth"] == {
        **schemes["BrowserSessionAuth"],
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
    }
    for path in schema["paths"].values():
        for operation in path.values():
            agents = operation["security"] == [{"DeviceTokenAuth": []}]  # test_access_rules.py
            assert agents or operation["security"] == [{"ApiTokenAuth": []},
                                                       {"BrowserSessionAuth": []}]
            assert {"401", "422"} <= set(operation["responses"])
            assert {"200", "201", "202"} & set(operation["responses"])  # 202: an upload's job


def test_there_is_no_docs_page_that_would_load_swagger_from_a_cdn(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_the_api_root_points_to_the_schema(db):
    assert Client().get("/api/v1/").json()["openapi"] == "/api/v1/openapi.json"


@pytest.mark.parametrize("url", ["/api/v1/nothing", "/api/v1/schools/", "/api/v1/a/b/c"])
def test_paths_that_are_no_operation_answer_a_json_404(db, url):
    response = Client().get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
