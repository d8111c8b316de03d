"""A small registry for the API tests: three schools in two provinces, boards, a school group."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ictmonitor.accounts.models import ApiToken
from ictmonitor.registry.models import (
    Board,
    Enrolment,
    Institution,
    Location,
    Municipality,
    Network,
    Province,
    SchoolGroup,
)


def stamp() -> dict[str, Any]:
    """The Recorded columns every registry row needs."""
    now = timezone.now()
    return {"created_at": now, "updated_at": now, "changed_by": "tests"}


@pytest.fixture
def registry(db: None) -> SimpleNamespace:
    """Three schools: two under board 950001 / province antwerpen, one in limburg."""
    # The reference geography may already be loaded by a migration.
    antwerpen = Province.objects.get_or_create(
        code="antwerpen", defaults={"name_nl": "Antwerpen", "name_en": "Antwerp", "country": "BE"}
    )[0]
    limburg = Province.objects.get_or_create(
        code="limburg", defaults={"name_nl": "Limburg", "name_en": "Limburg", "country": "BE"}
    )[0]
    mechelen = Municipality.objects.get_or_create(
        code="12025", defaults={"name_nl": "Mechelen", "province": antwerpen}
    )[0]
    hasselt = Municipality.objects.get_or_create(
        code="71022", defaults={"name_nl": "Hasselt", "province": limburg}
    )[0]
    go = Network.objects.create(code="go", name="GO! onderwijs", **stamp())
    board = Board.objects.create(code="950001", name="Scholengroep Rivierenland", **stamp())
    other_board = Board.objects.create(code="950002", name="VZW Limburgse scholen", **stamp())
    group = SchoolGroup.objects.create(code="110001", name="SG Mechelen", **stamp())

    def school(number: str, name: str, **fields: Any) -> Institution:
        return Institution.objects.create(
            number=number, name=name, country="BE", **fields, **stamp()
        )

    sint_jan = school(
        "100001",
        "Basisschool Sint-Jan",
        level="basis",
        province=antwerpen,
        board=board,
        network=go,
        school_group=group,
    )
    regenboog = school(
        "100002", "BuBaO De Regenboog", level="basis", special=True, province=antwerpen, board=board
    )
    atheneum = school(
        "200001",
        "Atheneum Hasselt",
        level="secundair",
        province=limburg,
        board=other_board,
        network=go,
    )
    main = Location.objects.create(
        institution=sint_jan,
        number="1",
        name="Sint-Jan hoofdschool",
        is_main=True,
        street="Kerkstraat",
        house_number="1",
        postcode="2800",
        place="Mechelen",
        municipality=mechelen,
        province=antwerpen,
        lambert_x=157000,
        lambert_y=190000,
        **stamp(),
    )
    annex = Location.objects.create(
        institution=sint_jan,
        number="2",
        name="Sint-Jan wijkschool",
        street="Veldweg",
        house_number="12",
        box="A",
        postcode="2800",
        place="Mechelen",
        municipality=mechelen,
        province=antwerpen,
        **stamp(),
    )
    Location.objects.create(
        institution=atheneum,
        number="1",
        name="Atheneum",
        is_main=True,
        postcode="3500",
        place="Hasselt",
        municipality=hasselt,
        province=limburg,
        **stamp(),
    )
    for location, pupils in ((main, 120), (annex, 30)):
        Enrolment.objects.create(
            location=location, school_year="2024-2025", level="lager", pupils=pupils, **stamp()
        )
    Enrolment.objects.create(
        location=main, school_year="2024-2025", level="kleuter", pupils=40, **stamp()
    )
    return SimpleNamespace(
        sint_jan=sint_jan,
        regenboog=regenboog,
        atheneum=atheneum,
        board=board,
        other_board=other_board,
        group=group,
    )


@pytest.fixture
def token_client(user_factory: Callable[..., Any]) -> Callable[..., Client]:
    """client(role_or_user, **memberships) -> a Client sending a fresh API token of that user."""

    def make(role_or_user: Any, **memberships: Any) -> Client:
        user = (
            user_factory(role_or_user, **memberships)
            if isinstance(role_or_user, str)
            else role_or_user
        )
        token, secret = ApiToken.issue(user, "tests")
        client = Client(headers={"Authorization": f"Bearer {secret}"})
        client.user = user  # type: ignore[attr-defined]
        client.token = token  # type: ignore[attr-defined]
        return client

    return make
