"""schemathesis over the whole OpenAPI schema: no 500s, no undocumented status or shape.

Runs in-process through Django's WSGI handler (all middleware, the real auth), with an
analyst's API token, on whichever database the suite runs on (NUL bytes only break PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ictmonitor.accounts.models import ApiToken

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]


@pytest.fixture
def analyst_token(registry, user_factory) -> str:
    """The secret of an analyst's token: analysts see every school."""
    return ApiToken.issue(user_factory("analyst"), "schemathesis")[1]


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Stop the WSGI handler closing the test's database connection after each request.

    Django's own test client does the same; without it PostgreSQL loses the test transaction.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Loaded at import, through the whole middleware stack; serving the schema needs no database.
# (schemathesis.pytest.from_fixture would load it per test, but fails under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@schema.parametrize()
def test_the_api_keeps_to_its_schema(case, analyst_token, keep_connection):
    case.call_and_validate(headers={"Authorization": f"Bearer {analyst_token}"}, checks=CHECKS)


def test_the_schema_covers_the_school_operations():
    paths = set(schema.raw_schema["paths"])
    assert {
        "/api/v1/schools",
        "/api/v1/schools/{number}",
        "/api/v1/schools/{number}/locations",
    } <= paths
