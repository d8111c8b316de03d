"""The schools and locations API: each role sees only its own, pages, filters, pupils."""

from __future__ import annotations

import pytest

# By name, then number, as the finder page lists them: Atheneum, Basisschool Sint-Jan, BuBaO.
ALL = ["200001", "100001", "100002"]


def numbers(response) -> list[str]:
    """The institution numbers of a list response."""
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_the_department_sees_every_school(registry, token_client, role):
    response = token_client(role).get("/api/v1/schools")
    assert numbers(response) == ALL
    assert response.json()["count"] == 3


def test_a_list_item_names_its_codes(registry, token_client):
    item = token_client("analyst").get("/api/v1/schools?q=100001").json()["items"][0]
    assert item == {
        "number": "100001",
        "name": "Basisschool Sint-Jan",
        "level": "basis",
        "special": False,
        "province": "antwerpen",
        "network": "go",
        "board": "950001",
        "school_group": "110001",
        "country": "BE",
    }


def test_a_coordinator_sees_only_its_own_school(registry, token_client):
    client = token_client("coordinator", institutions=[registry.atheneum])
    assert numbers(client.get("/api/v1/schools")) == ["200001"]
    assert client.get("/api/v1/schools/200001").status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/schools/100001", "/api/v1/schools/100001/locations"])
def test_a_coordinator_gets_404_for_another_school(registry, token_client, url):
    client = token_client("coordinator", institutions=[registry.atheneum])
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_a_board_sees_its_boards_and_school_groups_schools(registry, token_client):
    board = token_client("board", boards=[registry.board])
    assert numbers(board.get("/api/v1/schools")) == ["100001", "100002"]
    assert board.get("/api/v1/schools/200001").status_code == 404
    group = token_client("board", school_groups=[registry.group])
    assert numbers(group.get("/api/v1/schools")) == ["100001"]


def test_a_provider_sees_no_school_yet(registry, token_client):
    client = token_client("provider")
    response = client.get("/api/v1/schools")
    assert numbers(response) == []
    assert response.json()["count"] == 0
    assert client.get("/api/v1/schools/100001").status_code == 404


def test_an_unknown_school_is_404(registry, token_client):
    client = token_client("analyst")
    assert client.get("/api/v1/schools/999999").status_code == 404
    assert client.get("/api/v1/schools/999999/locations").status_code == 404


def test_pages_follow_limit_and_offset_and_tell_the_total(registry, token_client):
    client = token_client("analyst")
    first = client.get("/api/v1/schools?limit=2")
    assert numbers(first) == ["200001", "100001"]
    assert first.json()["count"] == 3
    assert numbers(client.get("/api/v1/schools?limit=2&offset=2")) == ["100002"]
    assert numbers(client.get("/api/v1/schools?offset=10")) == []
    assert client.get("/api/v1/schools?limit=500").status_code == 200


@pytest.mark.parametrize(
    "query", ["limit=501", "limit=0", "offset=-1", "limit=abc", "offset=99999999999999999999999"]
)
def test_out_of_range_paging_is_422(registry, token_client, query):
    response = token_client("analyst").get(f"/api/v1/schools?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=sint", ["100001"]),
        ("q=SINT-JAN", ["100001"]),
        ("q=200001", ["200001"]),
        ("q=2000", ["200001"]),
        ("q=10000", ["100001", "100002"]),
        ("q=0001", []),
        ("q=", ALL),
        ("level=basis", ["100001", "100002"]),
        ("level=secundair", ["200001"]),
        ("province=limburg", ["200001"]),
        ("province=nowhere", []),
        ("special=true", ["100002"]),
        ("special=false", ["200001", "100001"]),
        ("level=basis&province=antwerpen&special=false", ["100001"]),
    ],
)
def test_filters_narrow_the_list(registry, token_client, query, expected):
    assert numbers(token_client("analyst").get(f"/api/v1/schools?{query}")) == expected


def test_filters_stay_within_what_the_user_may_see(registry, token_client):
    client = token_client("coordinator", institutions=[registry.atheneum])
    assert numbers(client.get("/api/v1/schools?q=sint")) == []


@pytest.mark.parametrize(
    "query",
    [
        "q=a%00b",
        "q=" + "x" * 101,
        "level=kleuter",
        "province=a%00",
        "province=a b",
        "province=" + "x" * 41,
        "special=maybe",
    ],
)
def test_bad_filters_are_422_not_a_database_error(registry, token_client, query):
    response = token_client("analyst").get(f"/api/v1/schools?{query}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("number", ["%00", "1%002", "x" * 21])
def test_bad_school_numbers_are_422(registry, token_client, number):
    client = token_client("analyst")
    assert client.get(f"/api/v1/schools/{number}").status_code == 422
    assert client.get(f"/api/v1/schools/{number}/locations").status_code == 422


def test_a_school_comes_with_its_locations_and_summed_pupils(registry, token_client):
    body = token_client("board", boards=[registry.board]).get("/api/v1/schools/100001").json()
    assert body["name"] == "Basisschool Sint-Jan"
    assert body["board"] == "950001"
    assert [loc["number"] for loc in body["locations"]] == ["1", "2"]
    assert body["pupils"] == [
        {"school_year": "2024-2025", "level": "kleuter", "pupils": 40},
        {"school_year": "2024-2025", "level": "lager", "pupils": 150},
    ]


def test_a_school_without_enrolments_has_an_empty_pupil_list(registry, token_client):
    body = token_client("analyst").get("/api/v1/schools/100002").json()
    assert body["locations"] == []
    assert body["pupils"] == []


def test_pupils_are_left_out_for_roles_that_may_not_see_them(registry, token_client, monkeypatch):
    monkeypatch.setattr("ictmonitor.registry.api.may_see_pupils", lambda user: False)
    body = token_client("analyst").get("/api/v1/schools/100001").json()
    assert "pupils" not in body
    assert len(body["locations"]) == 2


def test_locations_carry_their_address_and_codes(registry, token_client):
    response = token_client("coordinator", institutions=[registry.sint_jan]).get(
        "/api/v1/schools/100001/locations"
    )
    assert response.status_code == 200
    main, annex = response.json()
    assert main == {
        "number": "1",
        "name": "Sint-Jan hoofdschool",
        "is_main": True,
        "street": "Kerkstraat",
        "house_number": "1",
        "box": "",
        "postcode": "2800",
        "place": "Mechelen",
        "municipality": "12025",
        "province": "antwerpen",
        "lambert_x": 157000,
        "lambert_y": 190000,
        "structures": "",
        "starts_on": None,
        "ends_on": None,
    }
    assert (annex["number"], annex["box"], annex["is_main"], annex["lambert_x"]) == (
        "2",
        "A",
        False,
        None,
    )


@pytest.mark.parametrize("q", ["", "sint", "1000", "200001", "bubao"])
def test_the_api_searches_as_the_finder_page_does(registry, token_client, client_for, q):
    from django.urls import reverse

    page = client_for("analyst").get(reverse("registry:finder"), {"q": q})
    listed = [school.number for school in page.context["page"]]
    assert numbers(token_client("analyst").get("/api/v1/schools", {"q": q})) == listed
