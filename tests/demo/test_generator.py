"""The demo dataset's files: the contract formats, deterministic, shaped like Flanders, made up."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from ictmonitor.demo.generator import ENROLMENT_COLUMNS, SCHOOL_COLUMNS, generate
from ictmonitor.registry import geography
from tests.conftest import shared_data_dir

NIVEAUS = {"111": "kleuter", "121": "kleuter", "211": "lager", "221": "lager"}


def read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    """The rows of a generated file as dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def published_file() -> Path:
    """The department's full list, in shared/data."""
    path = shared_data_dir() / "flanders-school-locations.csv"
    if not path.exists():
        pytest.fail(f"{path} is missing: put shared/ beside the checkout")
    return path


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The dataset at scale 1: schools rows, pupil-count rows and what was written."""
    files = generate(tmp_path_factory.mktemp("scale1"), scale=1)
    return read(files.schools), read(files.enrolments, ";"), files


@pytest.fixture(scope="module")
def tenth(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The dataset at scale 0.1."""
    files = generate(tmp_path_factory.mktemp("scale01"), scale=0.1)
    return read(files.schools), read(files.enrolments, ";"), files


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", scale=0.05, seed=7)
    second = generate(tmp_path / "b", scale=0.05, seed=7)
    other = generate(tmp_path / "c", scale=0.05, seed=8)
    assert first.schools.read_bytes() == second.schools.read_bytes()
    assert first.enrolments.read_bytes() == second.enrolments.read_bytes()
    assert first.schools.read_bytes() != other.schools.read_bytes()


def test_headers_are_the_contracts(tenth) -> None:  # type: ignore[no-untyped-def]
    contract = (shared_data_dir().parent / "contracts" / "schools.md").read_text()
    block = contract.split("The columns, as published:")[1].split("\n\n")[1]
    assert [c.strip() for c in block.replace("\n", " ").split(",")] == SCHOOL_COLUMNS
    with published_file().open(encoding="utf-8") as handle:
        assert handle.readline().rstrip("\n").split(",") == SCHOOL_COLUMNS
    enrolments = (shared_data_dir().parent / "contracts" / "enrolments.md").read_text()
    assert ";".join(ENROLMENT_COLUMNS) in enrolments
    _schools, _pupils, files = tenth
    assert files.schools.read_text(encoding="utf-8").split("\n")[0] == ",".join(SCHOOL_COLUMNS)
    assert files.enrolments.read_text().split("\n")[0] == ";".join(ENROLMENT_COLUMNS)


def test_levels_and_provinces_come_in_the_published_proportions(tenth) -> None:  # type: ignore[no-untyped-def]
    published = [r for r in read(published_file()) if r["hoofdzetel"] == "True"]
    schools, _pupils, _files = tenth
    mains = [r for r in schools if r["hoofdzetel"] == "True"]
    assert abs(len(mains) - len(published) / 10) <= 5
    for level, count in Counter(r["onderwijsniveau"] for r in published).items():
        made = sum(r["onderwijsniveau"] == level for r in mains)
        assert abs(made - count / 10) <= 1, level
    by_province = Counter(r["provinciecode"] for r in published)
    made = Counter(geography.current_province_by_refnis()[r["niscode"]] for r in mains)
    for code, count in by_province.items():
        province = geography.DEPARTMENT_PROVINCE_CODES[code]
        assert abs(made[province] - count / 10) <= 3, province


def test_networks_and_special_education_come_in_the_published_shares(full) -> None:  # type: ignore[no-untyped-def]
    published = [r for r in read(published_file()) if r["hoofdzetel"] == "True"]
    schools, _pupils, _files = full
    mains = [r for r in schools if r["hoofdzetel"] == "True"]
    for level in ("BaO", "SO"):
        real = [r for r in published if r["onderwijsniveau"] == level]
        made = [r for r in mains if r["onderwijsniveau"] == level]
        for net in ("Gemeenschapsonderwijs", "Officieel gesubsidieerd onderwijs",
                    "Vrij gesubsidieerd onderwijs"):
            share = sum(r["net"] == net for r in real) / len(real)
            assert abs(sum(r["net"] == net for r in made) / len(made) - share) < 0.04
        special = sum("buitengewoon" in r["instellingstype"] for r in real) / len(real)
        made_special = sum("buitengewoon" in r["instellingstype"] for r in made) / len(made)
        assert abs(made_special - special) < 0.03
    assert 800 <= len({r["bestuur"] for r in mains if r["bestuur"]}) <= 1000
    assert 390 <= len({r["scholengemeenschap"] for r in mains if r["scholengemeenschap"]}) <= 500


def test_every_institution_has_exactly_one_main_location(full) -> None:  # type: ignore[no-untyped-def]
    schools, _pupils, files = full
    mains = Counter(r["schoolnummer"] for r in schools if r["hoofdzetel"] == "True")
    assert len(mains) == files.institutions
    assert set(mains.values()) == {1}
    sites = Counter(r["schoolnummer"] for r in schools)
    assert max(sites.values()) == 4
    assert 0.6 < sum(n == 1 for n in sites.values()) / len(sites) < 0.8
    numbers: dict[str, set[str]] = {}
    for row in schools:
        numbers.setdefault(row["schoolnummer"], set()).add(row["intern_vplnummer"])
    assert all(found == {str(n) for n in range(1, len(found) + 1)} for found in numbers.values())


def test_numbers_are_unique(full) -> None:  # type: ignore[no-untyped-def]
    schools, pupils, _files = full
    keys = [(r["schoolnummer"], r["intern_vplnummer"]) for r in schools]
    assert len(keys) == len(set(keys))
    institutions = {r["schoolnummer"] for r in schools}
    for column in ("bestuur", "scholengemeenschap", "clb"):
        assert not institutions & {r[column] for r in schools}, column
    counts = [(r["schoolnummer"], r["intern_vplnummer"], r["schooljaar"], r["niveau"])
              for r in pupils]
    assert len(counts) == len(set(counts))
    assert {(r["schoolnummer"], r["intern_vplnummer"]) for r in pupils} <= set(keys)


def test_a_few_rows_leave_the_province_to_the_importer(full) -> None:  # type: ignore[no-untyped-def]
    schools, _pupils, _files = full
    empty = [r for r in schools if not r["provinciecode"]]
    assert 0.01 < len(empty) / len(schools) < 0.03
    assert all(not r["provincie"] and r["niscode"] for r in empty)
    provinces = geography.current_province_by_refnis()
    for row in schools:
        if row["provinciecode"]:
            code = geography.DEPARTMENT_PROVINCE_CODES[row["provinciecode"]]
            assert provinces[row["niscode"]] == code


def test_cells_follow_the_published_conventions(full) -> None:  # type: ignore[no-untyped-def]
    schools, _pupils, _files = full
    date = re.compile(r"^(\d\d/\d\d/\d{4})?$")
    for row in schools:
        assert row["hoofdzetel"] in ("True", "False")
        assert date.match(row["begindatum"]) and date.match(row["einddatum"])
        assert not (row["beheerder(s)"] or row["telefoon"] or row["fax"] or row["e-mail"])
        assert 0 < int(row["lx"]) < 300_000 and 0 < int(row["ly"]) < 250_000
        assert row["adres"].endswith(f", {row['postcode']} {row['gemeente']}")
        assert re.match(r'^"KBO  \d{4}\.\d{3}\.\d{3}"$', row["kbo-nummer"])
        assert row["website"].endswith(".example")
    assert {r["einddatum"] for r in schools} == {"31/12/4444", ""}
    assert "01/01/0001" in {r["begindatum"] for r in schools}


def test_pupil_counts_match_each_locations_level(full) -> None:  # type: ignore[no-untyped-def]
    schools, pupils, _files = full
    by_location: dict[tuple[str, str], set[str]] = {}
    for row in pupils:
        by_location.setdefault((row["schoolnummer"], row["intern_vplnummer"]), set()).add(
            row["niveau"])
    expected = {"SO": {"secundair"}, "VWO": {"volwassenen"}, "DKO": {"deeltijds-kunst"}}
    for row in schools:
        found = by_location.get((row["schoolnummer"], row["intern_vplnummer"]), set())
        level = row["onderwijsniveau"]
        if level == "HO":
            assert not found
        elif level == "BaO":
            codes = row["ingerichte hoofdstructuren"].split("-")
            assert found == {NIVEAUS[c] for c in codes}
        else:
            assert found == expected[level]
    assert {r["schooljaar"] for r in pupils} == {"2023-2024", "2024-2025"}
    small = [r for r in pupils if 1 <= int(r["leerlingen"]) <= 9]
    assert 0.01 < len(small) / len(pupils) < 0.06


def test_pupils_come_in_the_published_proportions(full) -> None:  # type: ignore[no-untyped-def]
    """Flanders has about 0.75 million pupils in nursery and primary education and 0.45 million
    in secondary; the demo's latest school year has as many, within 5 %."""
    _schools, pupils, _files = full
    latest: dict[str, int] = {}
    for row in pupils:
        if row["schooljaar"] == "2024-2025":
            latest[row["niveau"]] = latest.get(row["niveau"], 0) + int(row["leerlingen"])
    assert 712_000 < latest["kleuter"] + latest["lager"] < 788_000
    assert 427_000 < latest["secundair"] < 473_000
    assert latest["lager"] > latest["kleuter"]


def test_no_school_is_named_like_a_real_one(full) -> None:  # type: ignore[no-untyped-def]
    real = {r["naam"].casefold() for r in read(published_file())}
    schools, _pupils, _files = full
    assert not {r["naam"] for r in schools if r["naam"].casefold() in real}
