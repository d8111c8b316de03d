"""core's import pipeline by itself, on a small contract: a file is imported whole or refused
whole with every problem named FILE:LINE: column NAME; the run says what happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.pipeline import run_import
from ictmonitor.core.problems import ImportRefused, shown
from ictmonitor.registry.models import Board
from tests.core.boards_contract import Boards

pytestmark = pytest.mark.django_db


def write(folder: Path, text: str, name: str = "boards.csv") -> Path:
    """A file with this text."""
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_a_good_file_is_imported_whole_and_the_run_counts_it(tmp_path):
    path = write(tmp_path, "\ufeffCode;Naam;extra\r\n950001;Rivierenland;x\r\n950002;Kempen;y\r\n")
    run = run_import(Boards(), path, actor="tester")
    assert (run.status, run.kind, run.file_name, run.actor) == (
        "succeeded", "test-boards", "boards.csv", "tester")
    assert (run.rows, run.created, run.updated, run.unchanged) == (2, 2, 0, 0)
    assert shown(run.warnings, "en") == ["boards.csv:1: column extra: not in the contract; ignored"]
    assert len(run.sha256) == 64 and run.finished_at is not None
    boards = list(Board.objects.values_list("code", "name", "changed_by", "import_run"))
    assert boards == [("950001", "Rivierenland", "tester", run.pk),
                      ("950002", "Kempen", "tester", run.pk)]


def test_every_problem_is_named_and_nothing_is_written(tmp_path):
    path = write(tmp_path, "code,name,members\n"
                           "12a,Een,1\n"          # a bad cell
                           "950002,950002,2\n"     # a check across cells (build)
                           "950003,Drie,veel\n"    # another bad cell
                           "950004,Vier,1,,x\n")   # more fields than the header
    with pytest.raises(ImportRefused) as refused:
        run_import(Boards(), path, actor="tester")
    assert refused.value.problems.lines() == [
        "boards.csv:2: column code: '12a' is not a number of at most 20 digits",
        "boards.csv:3: column name: is the board's number, not its name",
        "boards.csv:4: column members: 'veel' is not a whole number",
        "boards.csv:5: has 5 fields where the header has 3",
    ]
    run = ImportRun.objects.get()
    assert run.status == "refused" and shown(run.problems, "en") == refused.value.problems.lines()
    assert not Board.objects.exists() and not AuditEntry.objects.exists()


def test_set_based_checks_refuse_the_file_after_staging(tmp_path):
    path = write(tmp_path, "code;name\n950001;Een\n950002;Twee\n950001;Een weer\n")
    with pytest.raises(ImportRefused) as refused:
        run_import(Boards(), path, actor="tester")
    assert refused.value.problems.lines() == ["boards.csv:4: column code: repeats line 2"]
    assert not Board.objects.exists()


@pytest.mark.parametrize(("text", "problem"), [
    ("", "boards.csv:1: the file is empty; expected a header line"),
    ("code;name\n", "boards.csv:1: the file has a header but no rows"),
    ("naam;members\nEen;1\n", "boards.csv:1: column code: missing from the header"),
])
def test_a_file_without_rows_or_columns_is_refused(tmp_path, text, problem):
    with pytest.raises(ImportRefused) as refused:
        run_import(Boards(), write(tmp_path, text), actor="tester")
    assert refused.value.problems.lines() == [problem]


def test_a_file_not_in_utf8_is_refused_naming_the_byte(tmp_path):
    path = tmp_path / "boards.csv"
    path.write_bytes("code;name\n950001;Sint-Jozef\n950002;Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(ImportRefused) as refused:
        run_import(Boards(), path, actor="tester")
    [line] = refused.value.problems.lines()
    assert line.startswith("boards.csv:3: ") and "0xe9" in line and "UTF-8" in line


def test_an_error_in_the_merge_ends_the_run_failed_and_writes_nothing(tmp_path, monkeypatch):
    def broken(self, stage, run):
        Board.objects.create(code="999", name="half", created_at=run.started_at,
                             updated_at=run.started_at, changed_by="x")
        raise RuntimeError("disk full")

    monkeypatch.setattr(Boards, "merge", broken)
    with pytest.raises(RuntimeError):
        run_import(Boards(), write(tmp_path, "code;name\n950001;Een\n"), actor="tester")
    run = ImportRun.objects.get()
    assert run.status == "failed"
    assert shown(run.problems, "en") == [
        "boards.csv: the import stopped (RuntimeError, details in the server's log); nothing "
        "was imported"]
    assert not Board.objects.exists()


def test_progress_is_told_each_phase(tmp_path):
    seen: list[tuple[int, str]] = []
    path = write(tmp_path, "code;name\n950001;Een\n950002;Twee\n")
    run_import(Boards(), path, actor="tester",
               progress=lambda rows, read, size, problems, phase: seen.append((rows, phase)))
    assert seen == [(2, "reading"), (2, "checking"), (2, "writing")]
