"""Importing DUO's lists of Dutch school locations as DUO publishes them."""

import pytest

from ictmonitor.core.problems import ImportRefused
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution, Location, Municipality, Province
from tests.conftest import shared_data_dir

pytestmark = pytest.mark.django_db

SAMPLE = shared_data_dir() / "duo-vo-locations-sample.csv"


def test_the_published_sample_imports_with_dutch_provinces_and_municipalities():
    run = import_school_list(SAMPLE, actor="tester")
    assert run.created == 12
    school = Institution.objects.get(number="02EB")
    assert (school.country, school.level, school.province_id) == ("NL", "secundair", "drenthe")
    assert school.board.code == "13273"
    assert Province.objects.get(code="drenthe").country == "NL"
    assert Municipality.objects.get(code="GM0106").name_nl == "Assen"
    assert Location.objects.get(number="02EB00").is_main
    assert not Location.objects.get(number="02EB04").is_main


def test_latin1_with_crlf_and_old_header_names_import_the_same(tmp_path):
    import_school_list(SAMPLE, actor="tester")
    text = SAMPLE.read_text(encoding="utf-8").replace("INSTELLINGSCODE", "BRIN NUMMER", 1)
    text = text.replace("VESTIGINGSNAAM", "INSTELLINGSNAAM", 1)
    path = tmp_path / "duo-latin1.csv"
    path.write_bytes(text.replace("\n", "\r\n").encode("latin-1"))
    run = import_school_list(path, actor="tester")
    assert (run.created, run.updated, run.unchanged) == (0, 0, 12)


def test_latin1_accents_are_read_as_latin1(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("Vincent van Gogh", "Vincent van Gögh")
    path = tmp_path / "duo.csv"
    path.write_bytes(text.encode("latin-1"))
    import_school_list(path, actor="tester")
    assert "Gögh" in Institution.objects.get(number="02EB").name


def test_a_bad_brin_code_is_refused(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace(";18BR;", ";18B;", 1)
    path = tmp_path / "duo.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_school_list(path, actor="tester")
    assert refused.value.problems.lines() == [
        "duo.csv:2: column INSTELLINGSCODE: '18B' is not a BRIN code (2 digits, 2 letters)"
    ]
    assert not Institution.objects.exists()
