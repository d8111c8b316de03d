"""A school with two locations, a line with the backup-line module at the first, none at the
second, and a device token at the first. An agent's post is folded in the request here (as
jobs run in the request in tests), unless a test switches that off to see the inbox."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from ictmonitor.connectivity.models import Module, Offer, Provider, Subscription
from ictmonitor.measurements import tokens
from ictmonitor.registry.models import Board, Institution, Location, Municipality


def stamp() -> dict[str, Any]:
    now = timezone.now()
    return {"created_at": now, "updated_at": now, "changed_by": "test"}


@pytest.fixture(autouse=True)
def _fold_in_the_request(settings: Any) -> None:
    settings.MEASUREMENTS_FOLD_IN_REQUEST = True


@pytest.fixture
def school(db: None) -> Institution:
    board = Board.objects.create(code="BM1", name="Scholen aan de Leie", **stamp())
    gent = Municipality.objects.get(code="44021")
    return Institution.objects.create(number="054321", country="BE", name="De Leieboot",
                                      level="basis", board=board, province=gent.province,
                                      **stamp())


@pytest.fixture
def locations(school: Institution) -> list[Location]:
    return [Location.objects.create(institution=school, number=number, name=name, is_main=main,
                                    **stamp())
            for number, name, main in (("1", "Hoofdschool", True), ("2", "Kleuterschool", False))]


@pytest.fixture
def line(locations: list[Location]) -> Subscription:
    backup = Module.objects.get(code="backup-line").bit
    return Subscription.objects.create(
        provider=Provider.objects.get(code="telenet"), contract_id="T-77", location=locations[0],
        offer=Offer.objects.order_by("position").first(), download_mbps=100, upload_mbps=20,
        modules=backup, started_on=date(2025, 1, 1), **stamp())


@pytest.fixture
def device(line: Subscription) -> tuple[Any, str]:
    """(token, secret) of device `pi-1` at the line's location."""
    return tokens.issue(line.location, "pi-1", "test")
