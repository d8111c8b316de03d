"""The demo's boards have names (issue 17 item 6): the school list gives only their numbers."""

from __future__ import annotations

import pytest

from ictmonitor.core.models import AuditEntry
from ictmonitor.demo.boards import name_demo_boards
from ictmonitor.demo.generator import generate
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Board

pytestmark = pytest.mark.django_db


def test_every_board_is_named_once_uniquely_and_a_new_import_keeps_the_names(tmp_path):
    files = generate(tmp_path, scale=0.01)
    import_school_list(files.schools, actor="t")
    assert Board.objects.filter(name="").exists()
    said = name_demo_boards("demo")
    names = list(Board.objects.values_list("name", flat=True))
    assert said == f"Boards named: {len(names):,}"
    assert "" not in names and len(set(names)) == len(names)
    assert any(name.startswith(("Scholengroep ", "Gemeentebestuur ", "vzw Katholiek "))
               for name in names)
    audited = AuditEntry.objects.filter(table="registry.board", action="update")
    assert audited.count() == len(names)
    assert audited.first().changes["name"][0] == ""
    assert name_demo_boards("demo") == "Boards named: 0"  # the same data: nothing to change
    import_school_list(files.schools, actor="t")  # a school list never clears a board's name
    assert sorted(Board.objects.values_list("name", flat=True)) == sorted(names)
