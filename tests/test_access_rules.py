"""Every URL of the site declares who may open it, and answers every role accordingly.

The walk covers every pattern of the root URLconf, through every include. A view without an
`access_rule` (set by accounts.access.access) fails the test by name. Three parts are handled on
their own: the Django admin (staff only, its own login), Django's set_language view, and the
API under api/v1/, whose operations are checked through its OpenAPI schema.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ictmonitor.accounts.access import AGENTS, PUBLIC, visible_institutions
from ictmonitor.registry.models import Board, Institution, Municipality

ROLES = (None, "analyst", "board", "coordinator", "provider", "admin")
API_PREFIX = "api/v1/"
OPENAPI = "/api/v1/openapi.json"
# API operations anyone may call without an account, as "METHOD /path" from the schema.
PUBLIC_OPERATIONS: frozenset[str] = frozenset()
# API operations programs call with a device token, not a user's: a user's session or API token
# is refused like no account at all.
AGENT_OPERATIONS = frozenset({"POST /api/v1/measurements/batches"})
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@dataclass
class Route:
    """One URL pattern with the route leading to it."""

    route: str
    namespaces: tuple[str, ...]
    pattern: URLPattern
    params: tuple[str, ...]

    @property
    def name(self) -> str:
        """The pattern's full name, 'registry:school', or its route when unnamed."""
        if not self.pattern.name:
            return f"<unnamed {self.route}>"
        return ":".join([*self.namespaces, self.pattern.name])

    @property
    def rule(self) -> frozenset[str] | None:
        """The roles the view declares, or None when it declares nothing."""
        return getattr(self.pattern.callback, "access_rule", None)


def _params(pattern: Any) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters is not None and hasattr(pattern, "_route"):
        return tuple(converters)
    return tuple(pattern.regex.groupindex)


def walk(
    resolver: URLResolver,
    route: str = "",
    namespaces: tuple[str, ...] = (),
    params: tuple[str, ...] = (),
) -> Iterator[Route]:
    """Every URL pattern under a resolver, recursively through includes."""
    for entry in resolver.url_patterns:
        here = route + str(entry.pattern)
        found = params + _params(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry, here, inner, found)
        else:
            yield Route(here, namespaces, entry, found)


def url_of(route: Route, number: str) -> str | None:
    """A URL for the pattern, its parameters filled with an existing institution, or None."""
    if not route.pattern.name:
        return None
    candidates = [[number, "1", "registry"] for _ in route.params]
    for values in itertools.product(*candidates):
        try:
            return reverse(route.name, kwargs=dict(zip(route.params, values, strict=True)))
        except NoReverseMatch:
            continue
    return None


def is_admin(route: Route) -> bool:
    """Whether the pattern belongs to the Django admin."""
    return "admin" in route.namespaces


def is_api(route: Route) -> bool:
    """Whether the pattern belongs to the API, checked through its OpenAPI schema."""
    return route.route.startswith(API_PREFIX)


def is_set_language(route: Route) -> bool:
    """Whether the pattern is Django's language switcher."""
    return route.pattern.name == "set_language"


def every_route() -> list[Route]:
    """Every URL pattern of the site."""
    return list(walk(get_resolver()))


@pytest.fixture
def school(db: None) -> Institution:
    """An institution of the board 'Scholen aan Zee', in Gent."""
    now = timezone.now()
    stamp = {"created_at": now, "updated_at": now, "changed_by": "test"}
    board = Board.objects.create(code="BS1", name="Scholen aan Zee", **stamp)
    gent = Municipality.objects.get(code="44021")
    return Institution.objects.create(
        number="012345",
        country="BE",
        name="Sint-Jozef",
        level="secundair",
        board=board,
        province=gent.province,
        **stamp,
    )


@pytest.fixture
def clients(client_for: Any, school: Institution) -> dict[str | None, Client]:
    """A client per role, anonymous included; the board and coordinator belong to the school."""
    memberships: dict[str, dict[str, Any]] = {
        "board": {"boards": [school.board]},
        "coordinator": {"institutions": [school]},
    }
    made: dict[str | None, Client] = {None: Client()}
    for role in ROLES[1:]:
        made[role] = client_for(role, **memberships.get(role, {}))
    return made


def test_every_view_declares_who_may_open_it() -> None:
    missing = [
        f"{r.name} ({r.route})"
        for r in every_route()
        if r.rule is None and not (is_admin(r) or is_api(r) or is_set_language(r))
    ]
    assert not missing, f"views without @access(...): {missing}"


def test_every_page_answers_each_role_as_its_rule_says(
    clients: dict[str | None, Client], school: Institution
) -> None:
    login = reverse("accounts:login")
    problems = []
    checked = 0
    for route in every_route():
        if is_admin(route) or is_api(route) or is_set_language(route):
            continue
        url = url_of(route, school.number)
        if url is None:
            problems.append(f"{route.name}: cannot build a URL for {route.route!r}; name it")
            continue
        rule = route.rule or frozenset()
        for role, client in clients.items():
            status = (answer := client.get(url)).status_code
            to_login = status == 302 and answer["Location"].startswith(login)
            checked += 1
            if PUBLIC in rule or AGENTS in rule:  # agents come without an account
                ok = status < 500 and status != 403 and not to_login
            elif role is None:
                ok = to_login
            elif role in rule:
                ok = status == 200 or (status == 404 and not _may_see(client, route, school))
            else:
                ok = status == 403
            if not ok:
                problems.append(f"{url} as {role or 'anonymous'}: {status} (rule {sorted(rule)})")
    assert checked, "no URL was walked"
    assert not problems, "\n".join(problems)


def _may_see(client: Client, route: Route, school: Institution) -> bool:
    """Whether the client's user may see the institution the URL was filled with."""
    if "number" not in route.params:
        return True  # a 404 on a page about no institution is a bug
    user = client.user  # type: ignore[attr-defined]
    return visible_institutions(user).filter(pk=school.pk).exists()


def test_the_admin_lets_in_staff_only(
    clients: dict[str | None, Client], school: Institution
) -> None:
    admin_login = reverse("admin:login")
    problems = []
    routes = [r for r in every_route() if is_admin(r)]
    assert routes, "the admin has no URLs"
    for route in routes:
        if route.pattern.name in {"login", "logout"}:
            continue
        url = url_of(route, school.number)
        if url is None:
            continue
        for role, client in clients.items():
            staff = role is not None and client.user.is_staff  # type: ignore[attr-defined]
            answer = client.get(url)
            if staff:  # past the door; the admin's own model permissions decide the rest
                ok = answer.status_code < 500 and not (
                    answer.status_code == 302 and answer["Location"].startswith(admin_login)
                )
            else:
                ok = answer.status_code == 302 and answer["Location"].startswith(admin_login)
            if not ok:
                problems.append(f"{url} as {role or 'anonymous'}: {answer.status_code}")
    assert not problems, "\n".join(problems)


def test_agents_operations_take_no_users_account(clients: dict[str | None, Client]) -> None:
    for operation in AGENT_OPERATIONS:
        method, url = operation.split()
        for role, client in clients.items():
            answer = getattr(client, method.lower())(url, {}, content_type="application/json")
            assert answer.status_code == 401, (operation, role, answer.status_code)


def test_everyone_may_switch_language(clients: dict[str | None, Client]) -> None:
    for role, client in clients.items():
        answer = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert answer.status_code == 302, role
        assert client.cookies["django_language"].value == "en", role


def test_every_api_operation_needs_an_account(school: Institution) -> None:
    schema = Client().get(OPENAPI)
    paths = schema.json().get("paths", {}) if schema.status_code == 200 else {}
    problems = []
    for path, operations in paths.items():
        url = re.sub(r"\{[^}]+\}", school.number, path)
        for method in HTTP_METHODS & set(operations):
            operation = f"{method.upper()} {path}"
            answer = getattr(Client(), method)(url, content_type="application/json")
            if operation in PUBLIC_OPERATIONS:
                ok = answer.status_code not in {401, 403} and answer.status_code < 500
            else:
                ok = answer.status_code == 401
            if not ok:
                problems.append(f"{operation} anonymously: {answer.status_code}")
    assert not problems, "\n".join(problems)
