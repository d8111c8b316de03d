"""A header that names a column twice (by one spelling, or by two of its aliases) is refused:
which of the two to read would be a guess, and the first one silently won."""

from __future__ import annotations

import pytest

from ictmonitor.core.csvfiles import Column, HeaderError, read_header
from ictmonitor.core.models import ImportRun
from ictmonitor.core.problems import ImportRefused, say
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution, Location
from tests.conftest import shared_data_dir
from tests.registry.flemish_rows import HEADER, row, write

DUO_SAMPLE = shared_data_dir() / "duo-vo-locations-sample.csv"


def in_words(repeated):
    """What HeaderError says of each column named more than once, in English."""
    return [(column, say(message, params, "en")) for column, message, params in repeated]


def test_a_column_named_twice_is_refused_with_both_places():
    with pytest.raises(HeaderError) as error:
        read_header(["naam", "nummer", " Naam "], [Column("nummer"), Column("naam")])
    assert error.value.missing == []
    assert in_words(error.value.repeated) == [
        ("naam", 'named 2 times in the header, as column 1 ("naam") and column 3 ("Naam"); '
                 "keep one of them"),
    ]


def test_a_column_named_by_two_of_its_aliases_is_refused():
    columns = [Column("INSTELLINGSCODE", aliases=("BRIN NUMMER",)), Column("x", required=False)]
    with pytest.raises(HeaderError) as error:
        read_header(["BRIN NUMMER", "x", "INSTELLINGSCODE", "BRIN nummer"], columns)
    assert in_words(error.value.repeated) == [
        ("INSTELLINGSCODE", 'named 3 times in the header, as column 1 ("BRIN NUMMER"), column 3 '
                            '("INSTELLINGSCODE") and column 4 ("BRIN nummer"); keep one of them'),
    ]


def test_a_column_not_in_the_contract_may_repeat():
    header = read_header(["a", "extra", "extra"], [Column("a")])
    assert (header.positions, header.unknown) == ({"a": 0}, ["extra", "extra"])


@pytest.mark.django_db
def test_a_school_list_naming_a_column_twice_is_refused_whole(tmp_path):
    path = write(tmp_path / "schools.csv", [row(naam="Eerste")],
                 header=[*HEADER, "NAAM"])
    with pytest.raises(ImportRefused) as refused:
        import_school_list(path, actor="test")
    position = HEADER.index("naam") + 1
    assert refused.value.problems.lines() == [
        f'schools.csv:1: column naam: named 2 times in the header, as column {position} ("naam") '
        f'and column {len(HEADER) + 1} ("NAAM"); keep one of them',
    ]
    assert ImportRun.objects.get().status == "refused"
    assert not Institution.objects.exists()


@pytest.mark.django_db
def test_a_duo_list_naming_its_key_by_both_names_is_refused_whole(tmp_path):
    lines = DUO_SAMPLE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "duo.csv"
    path.write_text("\n".join([lines[0] + ";BRIN NUMMER", *(f"{x};99XX" for x in lines[1:])]),
                    encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_school_list(path, actor="test")
    assert refused.value.problems.lines() == [
        'duo.csv:1: column INSTELLINGSCODE: named 2 times in the header, as column 3 '
        '("INSTELLINGSCODE") and column 33 ("BRIN NUMMER"); keep one of them',
    ]
    assert not Location.objects.exists()
