"""Connectivity standards as data: the file's loader, the judgement, the setting, the quote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from ictmonitor import config
from ictmonitor.connectivity import selectors, standards
from ictmonitor.connectivity.models import CatalogueVersion
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Enrolment, Institution
from tests.registry.flemish_rows import row, write

SHIPPED = standards.shipped()
LEVELS = dict(SHIPPED.school_levels)
DFE = SHIPPED.get("dfe-2022")
PER_PUPIL = SHIPPED.get("dfe-2022-per-pupil")


def judged(standard, level, pupils, down, up):
    with translation.override("en"):
        return standards.judge(standard, LEVELS, registry_level=level, pupils=pupils,
                               download_mbps=down, upload_mbps=up)


# The shipped file


def test_the_shipped_file_holds_the_dfe_figures_marked_published():
    assert (DFE.levels.primary.download_mbps, DFE.levels.primary.upload_mbps) == (100, 30)
    assert (DFE.levels.secondary.download_mbps, DFE.levels.secondary.upload_mbps) == (1000, 1000)
    assert DFE.levels.primary.basis == DFE.levels.secondary.basis == "published"
    assert DFE.sources[0].licence == "Open Government Licence v3.0"
    assert PER_PUPIL.per_pupil is not None and PER_PUPIL.per_pupil.basis == "ours"
    assert PER_PUPIL.per_pupil.note is not None and PER_PUPIL.per_pupil.note.nl


# The loader refuses a malformed file, naming the place

GOOD = """\
school_levels:
  basis: primary
standards:
  - code: mine
    name: {nl: Mijn norm, en: My standard}
    sources:
      - {title: T, publisher: P, url: "https://example.org", published: "2024", licence: L}
    levels:
      primary: {download_mbps: 50, upload_mbps: 10, basis: ours}
"""


def test_a_well_formed_file_is_read(tmp_path: Path):
    (tmp_path / "s.yaml").write_text(GOOD, encoding="utf-8")
    primary = standards.read(tmp_path / "s.yaml").get("mine").levels.primary
    assert primary is not None and primary.download_mbps == 50


@pytest.mark.parametrize(("change", "expected"), [
    (("download_mbps: 50", "download_mbps: fast"),
     "line 9, column 32: standards.0.levels.primary.download_mbps: Input should be a valid"),
    (("download_mbps: 50", "download_mbps: -5"),
     "line 9, column 32: standards.0.levels.primary.download_mbps: Input should be greater"),
    (("basis: ours}", "basis: guessed}"),
     "line 9, column 60: standards.0.levels.primary.basis: Input should be 'published' or"),
    (("basis: primary", "basis: tertiary"),
     "line 2, column 10: school_levels.basis: Input should be 'primary' or 'secondary'"),
    (("    name: {nl: Mijn norm, en: My standard}\n", ""),
     "line 4, column 5: standards.0.name: Field required"),
    (("  - code: mine", "  - code: mine\n    colour: red"),
     "line 5, column 13: standards.0.colour: Extra inputs are not permitted"),
    (("name: {nl:", "name: [nl:"), "line 5, column 42: not valid YAML"),
])
def test_a_malformed_file_is_refused_naming_file_line_and_column(tmp_path: Path, change,
                                                                 expected):
    path = tmp_path / "standards.yaml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(standards.StandardsError) as refused:
        standards.read(path)
    assert str(refused.value).startswith(f"{path}, "), str(refused.value)
    assert expected in str(refused.value)


def test_two_standards_of_one_code_are_refused(tmp_path: Path):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD + GOOD.split("standards:\n")[1], encoding="utf-8")
    with pytest.raises(standards.StandardsError, match="given twice: mine"):
        standards.read(path)


# The setting


def test_an_unknown_standard_in_the_setting_is_named_with_the_known_ones():
    with pytest.raises(config.SettingError, match=(
            "ICTMONITOR_CONNECTIVITY_STANDARD: no connectivity standard 'uk'; "
            "the standards are: dfe-2022, dfe-2022-per-pupil")):
        standards.checked_choice("uk")
    assert standards.checked_choice("dfe-2022-per-pupil") == "dfe-2022-per-pupil"


def test_an_unknown_standard_stops_start_up(tmp_path: Path):
    env = {**os.environ, "ICTMONITOR_DATA_DIR": str(tmp_path),
           "ICTMONITOR_CONNECTIVITY_STANDARD": "uk"}
    done = subprocess.run([str(Path(sys.executable).parent / "ictmonitor"), "check"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "ICTMONITOR_CONNECTIVITY_STANDARD: no connectivity standard 'uk'" in done.stderr


# The judgement, on hand-made cases


def test_a_primary_line_of_100_down_and_30_up_meets_the_dfe_standard():
    verdict = judged(DFE, "basis", 250, 100, 30)
    assert verdict.meets is True
    assert verdict.reasons == ["100/30 Mbit/s reaches the 100/30 Mbit/s the standard sets for "
                               "a primary school."]
    assert verdict.mbps_per_pupil == pytest.approx(0.4)


def test_a_primary_line_short_of_upload_misses_saying_why():
    verdict = judged(DFE, "basis", 250, 300, 20)
    assert verdict.meets is False
    assert verdict.reasons == ["20 Mbit/s upload is below the 30 Mbit/s the standard sets for a "
                               "primary school."]


def test_a_secondary_line_must_be_a_symmetric_gigabit():
    assert judged(DFE, "secundair", 900, 1000, 1000).meets is True
    missed = judged(DFE, "secundair", 900, 1000, 100)
    assert missed.meets is False
    assert missed.reasons == ["100 Mbit/s upload is below the 1000 Mbit/s the standard sets for "
                              "a secondary school."]
    assert judged(DFE, "secundair", 900, 300, 30).reasons[0].startswith(
        "300 Mbit/s download is below the 1000 Mbit/s")


def test_the_per_pupil_rule_counts_the_enrolled_pupils():
    assert judged(PER_PUPIL, "basis", 250, 300, 30).meets is True  # 1.2 Mbit/s a pupil
    crowded = judged(PER_PUPIL, "basis", 400, 300, 30)  # 0.75 Mbit/s a pupil
    assert crowded.meets is False
    assert crowded.reasons == [
        "0.75 Mbit/s download per pupil (400 pupils) is below the 1 Mbit/s per pupil the "
        "standard sets.",
        "300/30 Mbit/s reaches the 100/30 Mbit/s the standard sets for a primary school."]


def test_an_unknown_pupil_count_says_so_and_decides_nothing():
    verdict = judged(PER_PUPIL, "basis", None, 300, 30)
    assert verdict.meets is None and verdict.mbps_per_pupil is None
    assert ("The school's pupil count is not known, so the minimum per pupil cannot be "
            "checked.") in verdict.reasons
    assert judged(PER_PUPIL, "basis", None, 100, 20).meets is False  # the level already fails
    assert judged(DFE, "basis", None, 100, 30).meets is True  # no per-pupil rule to check


def test_a_level_the_standard_does_not_cover_cannot_be_judged():
    verdict = judged(DFE, "volwassenen", 100, 1000, 1000)
    assert verdict.meets is None
    assert verdict.reasons == ["The standard sets no speed for this school's level."]


def test_reasons_are_in_dutch_on_a_dutch_page():
    with translation.override("nl"):
        verdict = standards.judge(DFE, LEVELS, registry_level="basis", pupils=250,
                                  download_mbps=300, upload_mbps=20)
    assert verdict.reasons == ["20 Mbit/s upload is lager dan de 30 Mbit/s die de norm vraagt "
                               "voor een school lager onderwijs."]


# The selector and the configurator, on the database


@pytest.fixture
def schools(tmp_path: Path, db: None) -> SimpleNamespace:
    """3001 (a basisschool with 250 pupils) and 3002 (a basisschool with no count)."""
    write(tmp_path / "schools.csv", [row(schoolnummer="3001"), row(schoolnummer="3002")])
    import_school_list(tmp_path / "schools.csv", actor="test")
    counted = Institution.objects.get(number="3001")
    now = timezone.now()
    Enrolment.objects.create(location=counted.locations.get(), school_year="2024-2025",
                             level="lager", pupils=250, created_at=now, updated_at=now,
                             changed_by="test")
    return SimpleNamespace(counted=counted, uncounted=Institution.objects.get(number="3002"))


def test_meets_standard_reads_level_and_pupils_from_the_registry(schools, settings):
    settings.CONNECTIVITY_STANDARD = "dfe-2022-per-pupil"
    verdict = selectors.meets_standard(schools.counted, 300, 30)
    assert (verdict.meets, verdict.pupils, verdict.mbps_per_pupil) == (True, 250, 1.2)
    assert selectors.meets_standard(schools.uncounted, 300, 30).meets is None
    assert selectors.meets_standard(schools.counted, 300, 30, school_year="2023-2024").meets is None
    assert selectors.meets_standard(schools.counted, 200, 30).meets is False
    assert selectors.meets_standard(schools.counted, 200, 30, standard="dfe-2022").meets is True


@pytest.fixture
def cable_era_catalogue():
    """The cable-era catalogue in force (its 100/20 tier misses a primary school's 30 Mbit/s
    upload; every fibre tier meets it)."""
    CatalogueVersion.objects.filter(code="flemish-fibre-2023").delete()


def quote(client, school, download):
    return client.post(reverse("connectivity:configure", args=[school.number]), {
        "location": "1", "provider": "telenet", "offer": "managed",
        "download_mbps": str(download), "modules": [], "action": "calculate"})


def test_the_configurator_shows_whether_the_quoted_line_meets_the_standard(
        schools, client_for, settings, cable_era_catalogue):
    settings.CONNECTIVITY_STANDARD = "dfe-2022-per-pupil"
    coordinator = client_for("coordinator", institutions=[schools.counted])
    meets = quote(coordinator, schools.counted, 300).content.decode()
    assert "Deze lijn haalt de norm</h3>" in meets
    assert "1,20 Mbit/s download per leerling (250 leerlingen ingeschreven)." in meets
    coordinator.post(reverse("set_language"), {"language": "en", "next": "/"})
    misses = quote(coordinator, schools.counted, 100).content.decode()
    assert "This line misses the standard" in misses
    assert "20 Mbit/s upload is below the 30 Mbit/s the standard sets for a primary school." \
        in misses
    assert "0.40 Mbit/s download per pupil (250 pupils enrolled)." in misses


def test_the_configurator_says_when_the_pupil_count_is_unknown(schools, client_for, settings,
                                                                cable_era_catalogue):
    settings.CONNECTIVITY_STANDARD = "dfe-2022-per-pupil"
    coordinator = client_for("coordinator", institutions=[schools.uncounted])
    coordinator.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = quote(coordinator, schools.uncounted, 300).content.decode()
    assert "Whether this line meets the standard cannot be told" in html
    assert "The school&#x27;s pupil count is not known" in html
    assert "Mbit/s per pupil: the school's pupil count is not known." in html


# The standard in SQL (connectivity-quality judges a year of line-months in one query)

# A standard with what the shipped ones lack: no figure for secondary schools, and a rule per
# pupil on upload too, at figures that are no round numbers.
ODD = PER_PUPIL.model_copy(update={
    "code": "odd", "levels": standards.Levels(primary=DFE.levels.primary),
    "per_pupil": standards.PerPupilFigure(download_mbps=0.7, upload_mbps=0.15, basis="ours")})


@pytest.mark.django_db
@pytest.mark.parametrize("standard", [DFE, PER_PUPIL, ODD], ids=lambda s: s.code)
def test_the_sql_of_the_standard_decides_as_outcome_does(standard):
    """standards.outcome_sql, evaluated by the database over a level's figures joined from
    level_figures, gives outcome's decision for every level, pupil count (unknown, 0, some),
    download and upload (unknown too) of a grid, at the edges of each figure."""
    grid = [(level, pupils, down, up) for level in ("basis", "secundair", "hoger", None)
            for pupils in (None, 0, 50, 400, 2000)
            for down in (10, 35, 99.5, 100, 280, 1000, 2500)
            for up in (None, 5, 7.5, 30, 60, 1000)]
    figures = standards.level_figures(standard, LEVELS)
    sql, params = standards.outcome_sql(standard, need_down="f.download", need_up="f.upload",
                                        pupils="g.pupils", download="g.download",
                                        upload="g.upload")
    real = standards.REAL
    levels = ", ".join(f"(%s, {real}, {real})" for _ in figures)
    cases = ", ".join(f"(%s, CAST(%s AS text), CAST(%s AS integer), {real}, {real})"
                      for _ in grid)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH f(level, download, upload) AS (VALUES {levels}), "
            f"g(n, level, pupils, download, upload) AS (VALUES {cases}) "
            f"SELECT {sql} FROM g LEFT JOIN f ON f.level = g.level ORDER BY g.n",
            [*(v for row in figures for v in row),
             *(v for n, row in enumerate(grid) for v in (n, *row)), *params])
        decided = [None if value is None else bool(value) for (value,) in cursor.fetchall()]
    expected = [standards.outcome(standard, LEVELS, registry_level=level, pupils=pupils,
                                  download_mbps=down, upload_mbps=up)
                for level, pupils, down, up in grid]
    assert {True, False, None} <= set(expected)
    wrong = [(row, got, want) for row, got, want in zip(grid, decided, expected, strict=True)
             if got is not want]
    assert not wrong, wrong[:5]
