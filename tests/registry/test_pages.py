"""The registry's pages: finding schools, a school's page, the national overview, languages."""

from __future__ import annotations

from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ictmonitor.registry import selectors
from ictmonitor.registry.models import Board, Enrolment, Institution, Location, Municipality

FINDER = reverse("registry:finder")
OVERVIEW = reverse("registry:overview")


def recorded() -> dict[str, Any]:
    """The audit columns every registry row needs."""
    now = timezone.now()
    return {"created_at": now, "updated_at": now, "changed_by": "test"}


def school(
    number: str,
    name: str,
    level: str,
    municipality: str,
    board: Board | None = None,
    pupils: int | None = None,
) -> Institution:
    """An institution with one main location in a municipality (REFNIS), like the importer makes."""
    place = Municipality.objects.get(code=municipality)
    institution = Institution.objects.create(
        number=number,
        country="BE",
        name=name,
        level=level,
        board=board,
        province=place.province,
        **recorded(),
    )
    location = Location.objects.create(
        institution=institution,
        number="1",
        name=name,
        is_main=True,
        street="Schoolstraat",
        house_number="1",
        postcode="9000",
        place=place.name_nl,
        municipality=place,
        province=place.province,
        **recorded(),
    )
    if pupils is not None:
        Enrolment.objects.create(
            location=location, school_year="2024-2025", level="lager", pupils=pupils, **recorded()
        )
    return institution


@pytest.fixture
def registry(db: None) -> SimpleNamespace:
    """Four schools in three provinces; two belong to the board 'Scholen aan Zee'."""
    sea = Board.objects.create(code="BS1", name="Scholen aan Zee", **recorded())
    other = Board.objects.create(code="BS2", name="Kempen Scholen", **recorded())
    return SimpleNamespace(
        sea=sea,
        jozef=school("012345", "Sint-Jozefsinstituut", "secundair", "44021", sea),
        horizon=school("023456", "Basisschool De Horizon", "basis", "11002", sea, pupils=214),
        klimop=school("034567", "Vrije Basisschool Klimop", "basis", "71072", other),
        lyceum=school("045678", "Stedelijk Lyceum", "secundair", "11002"),
    )


def numbers_on(response: Any) -> list[str]:
    """The institution numbers listed in a finder page's result table."""
    assert response.status_code == 200
    return [i.number for i in response.context["page"].object_list]


def test_finder_finds_a_school_by_part_of_its_name(client_for: Any, registry: Any) -> None:
    page = client_for("analyst").get(FINDER, {"q": "klimop"})
    assert numbers_on(page) == ["034567"]
    assert "Vrije Basisschool Klimop" in page.content.decode()


def test_finder_finds_a_school_by_its_number(client_for: Any, registry: Any) -> None:
    assert numbers_on(client_for("analyst").get(FINDER, {"q": "023456"})) == ["023456"]


def test_finder_filters_by_level_province_and_municipality(client_for: Any, registry: Any) -> None:
    analyst = client_for("analyst")
    assert numbers_on(analyst.get(FINDER, {"level": "basis"})) == ["023456", "034567"]
    assert numbers_on(analyst.get(FINDER, {"province": "antwerpen"})) == ["023456", "045678"]
    both = analyst.get(FINDER, {"level": "secundair", "province": "antwerpen"})
    assert numbers_on(both) == ["045678"]
    assert numbers_on(analyst.get(FINDER, {"municipality": "44021"})) == ["012345"]
    assert numbers_on(analyst.get(FINDER, {"municipality": "gent"})) == ["012345"]


def test_finder_shows_results_as_an_accessible_table(client_for: Any, registry: Any) -> None:
    html = client_for("analyst").get(FINDER).content.decode()
    assert "<caption" in html and 'scope="col"' in html
    assert 'aria-live="polite"' in html and "4 scholen gevonden" in html


def test_finder_pages_by_fifty(client_for: Any, registry: Any) -> None:
    for n in range(60):
        Institution.objects.create(
            number=f"9{n:05}", country="BE", name=f"Testschool {n:02}", level="basis", **recorded()
        )
    analyst = client_for("analyst")
    first = analyst.get(FINDER, {"q": "Testschool"})
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    assert len(analyst.get(FINDER, {"q": "Testschool", "page": 2}).context["page"]) == 10


def test_the_finder_shrugs_off_nonsense_input(client_for: Any, registry: Any) -> None:
    nonsense = {"q": "a\x00b", "municipality": "\x00", "level": "zzz", "province": "x", "page": "y"}
    page = client_for("analyst").get(FINDER, nonsense)
    assert len(numbers_on(page)) == 4  # each bad field is named on the page and left out
    assert 'aria-invalid="true"' in page.content.decode()


def test_a_coordinator_sees_only_its_own_school(client_for: Any, registry: Any) -> None:
    coordinator = client_for("coordinator", institutions=[registry.horizon])
    assert numbers_on(coordinator.get(FINDER)) == ["023456"]
    assert coordinator.get(reverse("registry:school", args=["023456"])).status_code == 200
    assert coordinator.get(reverse("registry:school", args=["012345"])).status_code == 404


def test_a_board_sees_its_own_schools_only(client_for: Any, registry: Any) -> None:
    board = client_for("board", boards=[registry.sea])
    assert sorted(numbers_on(board.get(FINDER))) == ["012345", "023456"]
    assert board.get(reverse("registry:school", args=["034567"])).status_code == 404


def test_a_provider_sees_no_schools_yet_and_is_told_why(client_for: Any, registry: Any) -> None:
    provider = client_for("provider")
    page = provider.get(FINDER, HTTP_ACCEPT_LANGUAGE="en")
    assert numbers_on(page) == []
    assert "No schools linked to your account yet" in page.content.decode()
    assert provider.get(reverse("registry:school", args=["023456"])).status_code == 404


def test_the_school_page_shows_the_school_and_its_locations(client_for: Any, registry: Any) -> None:
    page = client_for("analyst").get(
        reverse("registry:school", args=["012345"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    for text in (
        "Sint-Jozefsinstituut",
        "012345",
        "secondary (secundair)",
        "Scholen aan Zee",
        "East Flanders",
        "Schoolstraat 1",
        "Gent (44021)",
    ):
        assert text in html


def test_pupils_are_shown_to_the_coordinator_but_not_to_a_provider(
    client_for: Any, registry: Any
) -> None:
    url = reverse("registry:school", args=["023456"])
    coordinator = client_for("coordinator", institutions=[registry.horizon])
    page = coordinator.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pupils" in page and "214" in page and "2024-2025" in page
    # A provider may not even open a school it has no line at; and never sees pupils.
    assert client_for("provider").get(url).status_code == 404
    assert b"214" not in client_for("provider").get(FINDER).content


def test_the_overview_counts_schools_per_level_and_province(
    client_for: Any, registry: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        table = selectors.institutions_per_level_and_province()
    assert table.cells == {
        ("basis", "antwerpen"): 1,
        ("basis", "limburg"): 1,
        ("secundair", "antwerpen"): 1,
        ("secundair", "oost-vlaanderen"): 1,
    }
    assert table.row_total("basis") == 2 and table.column_total("antwerpen") == 2
    assert table.total == 4
    page = client_for("analyst").get(OVERVIEW, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    cells = TableCells.of(page.content.decode())
    assert cells[0] == ["Level", "Antwerp", "East Flanders", "Limburg", "Total"]
    assert cells[1] == ["primary (basis)", "1", "0", "1", "2"]
    assert cells[-1] == ["Total", "2", "1", "1", "4"]


def test_the_overview_is_forbidden_to_a_coordinator(client_for: Any, registry: Any) -> None:
    coordinator = client_for("coordinator", institutions=[registry.horizon])
    assert coordinator.get(OVERVIEW).status_code == 403


def test_pages_are_dutch_by_default(client_for: Any, registry: Any) -> None:
    html = client_for("analyst").get(FINDER).content.decode()
    assert '<html lang="nl">' in html and "Zoek een school" in html


def test_pages_are_english_when_the_browser_asks(client_for: Any, registry: Any) -> None:
    html = client_for("analyst").get(FINDER, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html and "Find a school" in html


def test_the_language_switcher_keeps_english(client_for: Any, registry: Any) -> None:
    analyst = client_for("analyst")
    answer = analyst.post(reverse("set_language"), {"language": "en", "next": FINDER})
    assert answer.status_code == 302 and answer["Location"] == FINDER
    assert analyst.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Find a school" in analyst.get(FINDER).content.decode()


def test_the_language_cookie_chooses_english(db: None) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_the_login_page_has_a_label_for_every_input(db: None) -> None:
    html = Client().get(reverse("accounts:login")).content.decode()
    form = Controls.of(html)
    assert {"id_username", "id_password", "language-select"} <= set(form.controls)
    assert set(form.controls) <= form.labels, set(form.controls) - form.labels


def test_a_failed_login_is_announced(db: None) -> None:
    page = Client().post(
        reverse("accounts:login"),
        {"username": "nobody", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert 'role="alert"' in page.content.decode()


@pytest.mark.axes
def test_too_many_failed_logins_say_to_wait_fifteen_minutes(user_factory: Any) -> None:
    user_factory("analyst", username="juf")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page = client.post(reverse("accounts:login"), {"username": "juf", "password": "wrong"})
    assert page.status_code == 429
    assert "Wait 15 minutes" in page.content.decode()


class Controls(HTMLParser):
    """The ids of a page's visible form controls, and the ids its labels point at."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labels: set[str] = set()

    @classmethod
    def of(cls, html: str) -> Controls:
        """Parse a page."""
        parser = cls()
        parser.feed(html)
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Collect controls and labels."""
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"] or "")
        elif tag in {"input", "select", "textarea"} and a.get("type") not in {"hidden", "submit"}:
            self.controls.append(a.get("id") or f"<{tag} name={a.get('name')} without id>")


class TableCells(HTMLParser):
    """The text of every row of the first table on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    @classmethod
    def of(cls, html: str) -> list[list[str]]:
        """Parse a page."""
        parser = cls()
        parser.feed(html)
        return parser.rows

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Start a row or a cell."""
        if tag == "tr":
            self.rows.append([])
        elif tag in {"th", "td"}:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        """Finish a cell."""
        if tag in {"th", "td"} and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        """Collect a cell's text."""
        if self.cell is not None:
            self.cell.append(data)
