"""A file of another kind is named as such (issue 17 item 4): a pupil-count file imported as a
school list gets one line saying so, not a "missing from the header" line per column."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import translation

from ictmonitor.core.problems import ImportRefused
from ictmonitor.core.recognise import CONTRACTS, looks_like
from ictmonitor.core.translation import terminal_language
from ictmonitor.registry.importers import import_enrolments, import_school_list
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

PUPIL_COUNTS = "schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen\n1;1;2024-2025;lager;4\n"


def refusal(importer, path) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        importer(path, actor="t")
    return refused.value.problems.lines(None)  # in the active language


def test_a_pupil_count_file_imported_as_a_school_list_is_named(tmp_path):
    counts = tmp_path / "leerlingen.csv"
    counts.write_text(PUPIL_COUNTS, encoding="utf-8")
    with translation.override("en"):
        lines = refusal(import_school_list, counts)
    assert len(lines) == 1, lines
    assert "this looks like a pupil counts file" in lines[0]
    assert lines[0].startswith("leerlingen.csv:1:")
    with translation.override("nl"):
        dutch = refusal(import_school_list, counts)
    assert "leerlingenaantallen" in dutch[0] and "lijkt" in dutch[0], dutch


def test_a_school_list_imported_as_pupil_counts_is_named(tmp_path):
    write(tmp_path / "scholen.csv", [row(schoolnummer="1")])
    with translation.override("en"):
        lines = refusal(import_enrolments, tmp_path / "scholen.csv")
    assert len(lines) == 1 and "looks like a Flemish school list file" in lines[0], lines


def test_a_header_of_no_known_kind_lists_its_missing_columns(tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("kleur;smaak;geur\n1;2;3\n", encoding="utf-8")
    lines = refusal(import_enrolments, odd)
    assert len(lines) > 1 and all("looks like" not in line for line in lines)


def test_every_registered_kind_s_contract_is_known():
    assert looks_like(["x"], "none") is None  # loads every registered kind's contract
    assert {"schools-flanders", "schools-duo", "enrolments", "subscriptions",
            "vouchers"} <= set(CONTRACTS)


@pytest.mark.parametrize(("lang", "said"), [("en_GB.UTF-8", "this looks like a pupil counts"),
                                            ("nl_BE.UTF-8", "dit lijkt een bestand met"),
                                            ("C", "dit lijkt een bestand met")])
def test_the_command_line_speaks_the_terminal_s_language(tmp_path, monkeypatch, capsys, lang,
                                                         said):
    counts = tmp_path / "leerlingen.csv"
    counts.write_text(PUPIL_COUNTS, encoding="utf-8")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", lang)
    with pytest.raises(SystemExit):
        call_command("import_schools", str(counts), "--quiet")
    assert said in capsys.readouterr().err


def test_the_terminal_language_reads_lc_all_first():
    assert terminal_language({"LC_ALL": "en_US.UTF-8", "LANG": "nl_BE.UTF-8"}) == "en"
    assert terminal_language({"LANG": "fr_BE.UTF-8"}) == "nl"  # not ours: the site's default
    assert terminal_language({}) == "nl"


def test_a_file_s_problems_come_in_one_round_unknown_schools_with_the_rest(tmp_path):
    write(tmp_path / "scholen.csv", [row(schoolnummer="1")])
    import_school_list(tmp_path / "scholen.csv", actor="t")
    counts = tmp_path / "leerlingen.csv"
    counts.write_text(PUPIL_COUNTS.splitlines()[0] + "\n1;1;2024-2025;lager;veel\n"
                      "9999;1;2024-2025;lager;4\n", encoding="utf-8")
    with translation.override("en"):
        lines = refusal(import_enrolments, counts)
    assert any(line.startswith("leerlingen.csv:2:") for line in lines), lines  # a bad count
    assert any(line.startswith("leerlingen.csv:3:") for line in lines), lines  # no such school
