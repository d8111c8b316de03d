"""Import and feed problems in the reader's language (issue 17 item 4): each kind of file refused
in English and in Dutch, the frame words too; what is stored is put into words when shown (the
job page in the reader's language, the API by Accept-Language, the command line by LANG); and
no problem message of the code lacks its Dutch."""

from __future__ import annotations

import ast
import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ictmonitor.accounts.models import ApiToken
from ictmonitor.assessment.importers import import_labels
from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.core.importcommand import Progress
from ictmonitor.core.models import ImportRun
from ictmonitor.core.problems import ImportRefused, Problem, ProblemList, shown
from ictmonitor.core.translation import grouped
from ictmonitor.measurements.importers import import_measurements
from ictmonitor.registry.importers import import_enrolments, import_school_list
from ictmonitor.vouchers.importers import import_vouchers
from tests.conftest import shared_data_dir
from tests.connectivity.test_pages import feed_bytes
from tests.registry.flemish_rows import row, write
from tests.vouchers.conftest import feed, line

SOURCE = Path(__file__).resolve().parents[2] / "src" / "ictmonitor"
MEASUREMENTS = ("schoolnummer;intern_vplnummer;device;measured_at;kind;path;download_mbps;"
                "upload_mbps;latency_ms;jitter_ms;loss_pct;reachable\n"
                "054321;;pi-1;2026-03-02T09:15:00+01:00;outage;primary;;;;;;\n")


def _text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _duo(folder: Path) -> Path:
    sample = (shared_data_dir() / "duo-vo-locations-sample.csv").read_text(encoding="utf-8")
    return _text(folder, "duo.csv", sample.replace(";18BR;", ";18B;", 1))


# One refused file of each kind: (importer, the file, a piece of its English, of its Dutch).
KINDS = {
    "schools": (import_school_list, lambda d: write(d / "scholen.csv", [row(hoofdzetel="x")]),
                "scholen.csv:2: column hoofdzetel: 'x' is not True or False",
                "scholen.csv:2: kolom hoofdzetel: 'x' is niet True of False"),
    "duo": (import_school_list, _duo, "'18B' is not a BRIN code (2 digits, 2 letters)",
            "'18B' is geen BRIN-code (2 cijfers, 2 letters)"),
    "enrolments": (import_enrolments, lambda d: _text(
        d, "leerlingen.csv", "schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen\n"
                             "1;1;2024;basis;4\n"),
        "column schooljaar: '2024' is not a school year like 2023-2024",
        "kolom schooljaar: '2024' is geen schooljaar zoals 2023-2024"),
    "subscriptions": (import_subscriptions, lambda d: _text(d, "feed.csv", feed_bytes(
        "acme;A-1;1001;1;managed;300;30;;2025-01-10;2025-02-01;").decode()),
        "column provider: 'acme' is not a known provider",
        "kolom provider: 'acme' is geen bekende provider"),
    "vouchers": (import_vouchers, lambda d: feed(d, line(wave="lente"), name="codes.csv"),
                 "column wave: 'lente' is not a wave code like 2020-spring",
                 "kolom wave: 'lente' is geen rondecode zoals 2020-spring"),
    "labels": (import_labels, lambda d: _text(
        d, "labels.csv", "schoolnummer;level;awarded_on;valid_until\n7;gold;2015-01-01;\n"),
        "labels.csv:2: column schoolnummer: 7 is not a known school",
        "labels.csv:2: kolom schoolnummer: 7 is geen bekende school"),
    "measurements": (import_measurements, lambda d: _text(d, "metingen.csv", MEASUREMENTS),
                     "column kind: 'outage' is not speed or ping or failover",
                     "kolom kind: 'outage' is niet speed of ping of failover"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_file_is_refused_in_english_and_in_dutch(kind, tmp_path):
    importer, make, english, dutch = KINDS[kind]
    with pytest.raises(ImportRefused) as refused:
        importer(make(tmp_path), actor="test")
    problems = refused.value.problems
    assert any(english in line for line in problems.lines("en")), problems.lines("en")
    assert any(dutch in line for line in problems.lines("nl")), problems.lines("nl")
    with translation.override("nl"):
        untranslated = [p.message for p in problems.items
                        if translation.gettext(p.message) == p.message]
    assert untranslated == []
    stored = ImportRun.objects.get()
    assert shown(stored.problems, "nl") == problems.lines("nl")  # stored, worded when shown
    assert shown(stored.problems, "en") == problems.lines("en")


def test_the_frame_words_and_the_tail_are_translated_and_old_text_is_shown_as_written():
    found = ProblemList("f.csv", 1)
    found.add(3, "schoolnummer", "%(school)s is not a known school", school="9")
    found.add(4, "", "the file has a header but no rows")
    assert found.lines() == ["f.csv:3: column schoolnummer: 9 is not a known school",
                             "f.csv: … and 1 more problem not listed"]
    assert found.lines("nl") == ["f.csv:3: kolom schoolnummer: 9 is geen bekende school",
                                 "f.csv: … en nog 1 probleem dat niet is opgesomd"]
    assert str(found.items[0]) == found.lines()[0]
    old = ["f.csv:2: column x: stored before problems kept their parameters"]
    assert shown(old, "nl") == old
    assert Problem("f.csv", 0, "", "the file has a header but no rows").text("nl") == \
        "f.csv: het bestand heeft een kopregel maar geen rijen"


@pytest.mark.django_db
def test_the_command_line_speaks_its_terminals_language(tmp_path, capsys, monkeypatch):
    bad = write(tmp_path / "bad.csv", [row(hoofdzetel="perhaps")])
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "nl_BE.UTF-8")
    with pytest.raises(SystemExit):
        call_command("import_schools", str(bad), "--quiet")
    err = capsys.readouterr().err
    assert "bad.csv:2: kolom hoofdzetel: 'perhaps' is niet True of False" in err
    assert "bad.csv: geweigerd; er werd niets ingelezen (1 probleem)" in err
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    with pytest.raises(SystemExit):
        call_command("import_schools", str(bad), "--quiet")
    assert "column hoofdzetel: 'perhaps' is not True or False" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_job_page_shows_problems_in_the_readers_language_and_the_api_by_accept_language(
        client_for, tmp_path, settings):
    english = client_for("analyst")
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    path = write(tmp_path / "scholen.csv", [row(hoofdzetel="x")])
    upload = SimpleUploadedFile("scholen.csv", path.read_bytes(), content_type="text/csv")
    answer = english.post(reverse("jobs:upload"), {"kind": "schools", "file": upload})
    assert answer.status_code == 302
    problem_en = "scholen.csv:2: column hoofdzetel: 'x' is not True or False"
    problem_nl = "scholen.csv:2: kolom hoofdzetel: 'x' is niet True of False"
    assert problem_en in unescape(english.get(answer["Location"]).content.decode())

    dutch = client_for("admin")  # the department sees every job; the site's default: Dutch
    page = unescape(dutch.get(answer["Location"]).content.decode())
    assert problem_nl in page and problem_en not in page

    job = answer["Location"].rsplit("=", 1)[1]
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(english.user, 't')[1]}"})
    address = reverse("api:get_job", kwargs={"job_id": job})
    assert api.get(address).json()["result"]["problems"] == [problem_en]
    assert api.get(address, headers={"Accept-Language": "nl-BE,nl;q=0.9"}).json()[
        "result"]["problems"] == [problem_nl]


@pytest.mark.django_db
def test_the_admin_shows_a_runs_problems_in_words(client_for, tmp_path):
    with pytest.raises(ImportRefused):
        import_school_list(write(tmp_path / "scholen.csv", [row(hoofdzetel="x")]), actor="t")
    run = ImportRun.objects.get()
    page = unescape(client_for("admin").get(
        reverse("admin:core_importrun_change", args=[run.pk])).content.decode())
    assert "scholen.csv:2: kolom hoofdzetel: 'x' is niet True of False" in page
    assert "'message':" not in page and '"message":' not in page


@pytest.mark.django_db
def test_a_refused_upload_says_why_in_the_apis_language_and_on_the_page_in_its_own(
        user_factory, client_for, settings, tmp_path):
    settings.IMPORT_MAX_UPLOAD_MB = 0.0001
    analyst = user_factory("analyst")
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(analyst, 't')[1]}"})
    data = feed_bytes(*["telenet;T-1;1001;1;managed;300;30;;2025-01-10;2025-02-01;"] * 9)

    def post(headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return api.post("/api/v1/connectivity/feeds", {"file": SimpleUploadedFile(
            "feed.csv", data, content_type="text/csv")}, headers=headers)

    english, dutch = post(), post({"Accept-Language": "nl"})
    assert english.status_code == dutch.status_code == 413
    assert english.json()["detail"].startswith("This file is 0.0 MB; files of at most")
    assert dutch.json()["detail"].startswith("Dit bestand is 0.0 MB")
    schools = write(tmp_path / "scholen.csv", [row(), row(schoolnummer="1002")]).read_bytes()
    page = client_for(analyst).post(reverse("jobs:upload"), {
        "kind": "schools", "file": SimpleUploadedFile("scholen.csv", schools)})
    assert "Dit bestand is 0.0 MB" in page.content.decode()


# -- every problem message of the code has its Dutch ------------------------------------------

PRODUCERS = ("problem", "add", "CellError", "UploadRefused", "whole_file")


def _messages_and_fstrings() -> tuple[set[str], list[str]]:
    """The gettext_noop messages of every module that words problems that way, and the places
    where a problem is made from an f-string, or from a message formatted at once (worded
    once, in English, for every reader: pass the parameters to the problem instead)."""
    messages: set[str] = set()
    fstrings: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "gettext_noop as _" not in text or "/migrations/" in str(path):
            continue
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(
                    node.left, ast.Call) and getattr(node.left.func, "id", None) == "_":
                # gettext_noop's text formatted at once: worded in English for every reader
                fstrings.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == "_" and node.args and isinstance(node.args[0], ast.Constant):
                messages.add(node.args[0].value)
            elif name in PRODUCERS and any(isinstance(a, ast.JoinedStr) for a in node.args):
                fstrings.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    return messages, fstrings


def test_every_problem_message_has_its_dutch_and_none_is_an_fstring():
    messages, fstrings = _messages_and_fstrings()
    assert len(messages) > 60
    with translation.override("nl"):
        missing = sorted(m for m in messages if translation.gettext(m) == m
                         and re.search(r"[a-z]{3}", m))
    assert missing == []
    assert fstrings == []


@pytest.mark.django_db
def test_the_command_lines_summary_and_queueing_follow_lang(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "nl_BE.UTF-8")
    good = write(tmp_path / "goed.csv", [row()])
    call_command("import_schools", str(good), "--quiet")
    assert "goed.csv: 1 vestigingsplaatsen gelezen: 1 nieuw, 0 gewijzigd, 0 ongewijzigd" \
        in capsys.readouterr().out
    call_command("import_schools", str(good), "--background")
    assert "goed.csv: in de wachtrij als taak" in capsys.readouterr().out
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    call_command("import_schools", str(good), "--quiet")
    assert "goed.csv: 1 locations read: 0 new, 0 changed, 1 unchanged" in capsys.readouterr().out


def test_the_command_line_groups_thousands_as_its_language_writes_them():
    assert grouped(4097, "nl") == "4.097"
    assert grouped(4097, "en") == "4,097"
    progress = Progress("groot.csv", io.StringIO())
    with translation.override("nl"):
        assert "1.234.567 rijen" in progress._read(50, 1_234_567)
    with translation.override("en"):
        assert "1,234,567 rows" in progress._read(50, 1_234_567)
