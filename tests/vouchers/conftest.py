"""Voucher fixtures built the way real data arrives: school lists and provider feeds, imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution
from ictmonitor.vouchers.importers import COLUMNS, import_vouchers
from ictmonitor.vouchers.models import Wave
from ictmonitor.vouchers.services import create_wave
from tests.registry.flemish_rows import row, write

HEADER = ";".join(COLUMNS)


def line(**values: str) -> str:
    """One feed line: a Telenet code issued to school 1001 in spring 2020; override any column."""
    base = {
        "provider": "telenet", "code": "T-0001", "requested_by": "school",
        "requester_id": "1001", "schoolnummer": "1001", "wave": "2020-spring",
        "requested_on": "2020-03-20", "issued_on": "2020-03-25", "activated_on": "",
        "extended_until": "", "expires_on": "2020-08-31", "last_used_on": "", "pupil_ref": "",
    }
    base.update(values)
    return ";".join(base[c] for c in COLUMNS)


def feed(folder: Path, *lines: str, name: str = "feed.csv") -> Path:
    """A feed file with the contract's header and these lines."""
    path = folder / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def make_schools(tmp_path: Path) -> dict[str, Institution]:
    """School 1001 (basis, Antwerpen), 2002 (secundair, Gent), 3003 (basis, Brussels)."""
    write(tmp_path / "schools.csv", [
        row(),
        row(schoolnummer="2002", onderwijsniveau="SO", naam="Atheneum Gent",
            instellingstype="School voor voltijds gewoon secundair onderwijs",
            niscode="44021", postcode="9000", gemeente="Gent", provinciecode="4",
            provincie="Oost-Vlaanderen"),
        row(schoolnummer="3003", naam="Basisschool Brussel", niscode="21004", postcode="1000",
            gemeente="Brussel", provinciecode="B", provincie="Brussels Hoofdstedelijk Gewest"),
    ])
    import_school_list(tmp_path / "schools.csv", actor="test")
    return {i.number: i for i in Institution.objects.all()}


@pytest.fixture
def schools(tmp_path: Path) -> dict[str, Institution]:
    """School 1001 (basis, Antwerpen), 2002 (secundair, Gent), 3003 (basis, Brussels)."""
    return make_schools(tmp_path)


@pytest.fixture
def spring(db: None) -> Wave:
    """The spring 2020 wave, with Telenet and Proximus."""
    return create_wave("2020-spring", by="test", providers=["telenet", "proximus"],
                       name_nl="Voorjaar 2020", name_en="Spring 2020",
                       opens_on=date(2020, 3, 16), closes_on=date(2020, 7, 1),
                       expires_on=date(2020, 8, 31))


def make_open_wave() -> Wave:
    """A wave taking requests today."""
    return create_wave("2099-now", by="test", providers=["telenet", "proximus"],
                       name_nl="Nu", name_en="Now", opens_on=date(2000, 1, 1),
                       closes_on=date(2099, 12, 31))


@pytest.fixture
def open_wave(db: None) -> Wave:
    """A wave taking requests today."""
    return make_open_wave()


def load(folder: Path, *lines: str, name: str = "feed.csv", **options: Any) -> Any:
    """Import a feed made of these lines."""
    return import_vouchers(feed(folder, *lines, name=name), actor="test", **options)
