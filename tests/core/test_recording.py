"""core.recording: the one way a write is audited (who, when, [old, new] per field, the table
named by its model's label) and the stamp of a row written by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.recording import audit, column_values, plain, stamp, table_of, who
from ictmonitor.registry.models import Board
from tests.core.boards_contract import STAMP

pytestmark = pytest.mark.django_db


def test_who_acts_is_a_user_or_a_name():
    assert who(None) == (None, "system")
    assert who("ops (command line)") == (None, "ops (command line)")


def test_a_row_written_by_hand_is_stamped_without_an_import():
    now = timezone.now()
    assert stamp("ops", now) == {"updated_at": now, "changed_by": "ops", "import_run": None}
    assert stamp("ops", now, created=True)["created_at"] == now


def test_values_are_kept_as_json_keeps_them():
    assert plain(date(2025, 1, 31)) == "2025-01-31"
    assert plain(Decimal("12.50")) == "12.50"
    assert plain((1, [date(2025, 2, 1)], {"a": None})) == [1, ["2025-02-01"], {"a": None}]


def test_an_entry_keeps_old_and_new_under_the_models_label(user_factory):
    user = user_factory("analyst", username="ana")
    now = timezone.now()
    entry = audit(user, now, AuditEntry.Action.UPDATE, Board, "950001",
                  {"name": ("Oud", "Nieuw"), "since": (None, date(2025, 9, 1))})
    entry.refresh_from_db()
    assert (entry.table, entry.object_key, entry.actor, entry.user, entry.at) == (
        "registry.board", "950001", "ana", user, now)
    assert entry.changes == {"name": ["Oud", "Nieuw"], "since": [None, "2025-09-01"]}
    assert entry.import_run is None


def test_a_table_is_named_by_model_by_row_or_as_given():
    board = Board(code="1", **STAMP)
    assert table_of(Board) == table_of(board) == table_of("registry.board") == "registry.board"


def test_an_import_step_names_its_run_and_its_actor():
    run = ImportRun.objects.create(kind="test", file_name="f.csv", sha256="0" * 64,
                                   actor="feeder")
    entry = audit(run.user or run.actor, timezone.now(), AuditEntry.Action.CREATE, Board, "7",
                  {"code": (None, "7")}, run=run)
    assert (entry.actor, entry.user, entry.import_run) == ("feeder", None, run)


def test_column_values_are_keyed_by_column_as_imports_key_them():
    board = Board(code="1", name="Een", **STAMP)
    assert column_values(board, ["code", "name"]) == {"code": "1", "name": "Een"}
