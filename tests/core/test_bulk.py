"""core's set-based upsert by itself: what it counts, what it audits, and that the same file
twice changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.pipeline import run_import
from ictmonitor.registry.models import Board
from tests.core.boards_contract import STAMP, Boards

pytestmark = pytest.mark.django_db


def load(folder: Path, *rows: str, actor: str = "tester") -> ImportRun:
    """Import boards given as `code;name` rows."""
    path = folder / "boards.csv"
    path.write_text("\n".join(["code;name", *rows]) + "\n", encoding="utf-8")
    return run_import(Boards(), path, actor=actor)


def counts(run: ImportRun) -> tuple[int | None, int | None, int | None]:
    """(created, updated, unchanged) of a run."""
    return run.created, run.updated, run.unchanged


def test_new_rows_are_counted_in_one_entry_per_table_and_run(tmp_path):
    run = load(tmp_path, "1;Een", "2;Twee", "3;Drie")
    assert counts(run) == (3, 0, 0)
    [entry] = AuditEntry.objects.all()
    assert (entry.action, entry.table, entry.object_key, entry.changes) == (
        "create", "registry.board", "*", {"rows": 3})
    assert (entry.actor, entry.import_run) == ("tester", run)


def test_changed_rows_get_an_entry_each_with_old_and_new(tmp_path):
    first = load(tmp_path, "1;Een", "2;Twee", "3;Drie")
    second = load(tmp_path, "1;Een", "2;Twee bis", "3;", "4;Vier", actor="other")
    assert counts(second) == (1, 2, 1)
    changed = {e.object_key: e.changes for e in AuditEntry.objects.filter(
        import_run=second, action="update")}
    assert changed == {"2": {"name": ["Twee", "Twee bis"]}, "3": {"name": ["Drie", ""]}}
    created = AuditEntry.objects.get(import_run=second, action="create")
    assert created.changes == {"rows": 1}
    boards = {b.code: (b.name, b.changed_by, b.import_run_id) for b in Board.objects.all()}
    assert boards == {"1": ("Een", "tester", first.pk), "2": ("Twee bis", "other", second.pk),
                      "3": ("", "other", second.pk), "4": ("Vier", "other", second.pk)}


def test_the_same_file_twice_changes_nothing_and_audits_nothing(tmp_path):
    load(tmp_path, "1;Een", "2;Twee")
    written = {b.code: b.updated_at for b in Board.objects.all()}
    again = load(tmp_path, "1;Een", "2;Twee")
    assert counts(again) == (0, 0, 2)
    assert not AuditEntry.objects.filter(import_run=again).exists()
    assert {b.code: b.updated_at for b in Board.objects.all()} == written


def test_rows_made_by_hand_are_updated_and_rows_left_out_are_left_alone(tmp_path):
    Board.objects.create(code="1", name="Handwerk", **STAMP)
    Board.objects.create(code="9", name="Niet in het bestand", **STAMP)
    run = load(tmp_path, "1;Een")
    assert counts(run) == (0, 1, 0)
    assert Board.objects.get(code="9").name == "Niet in het bestand"
    entry = AuditEntry.objects.get(import_run=run)
    assert (entry.object_key, entry.changes) == ("1", {"name": ["Handwerk", "Een"]})
