"""Writes made outside core are audited through core.recording alone, each as [old, new] per
field under the model's label: a configurator request, a wave a feed names, a saved scenario."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ictmonitor.connectivity.services import submit_request
from ictmonitor.core.models import AuditEntry
from ictmonitor.procurement.models import SavedScenario
from ictmonitor.procurement.services import delete_scenario, save_scenario
from tests.connectivity.test_pages import schools as schools  # a fixture
from tests.vouchers.conftest import line, load, make_schools

SOURCE = Path(__file__).resolve().parents[2] / "src" / "ictmonitor"

pytestmark = pytest.mark.django_db


def test_no_app_writes_audit_entries_itself():
    writers = []
    for path in SOURCE.rglob("*.py"):
        if path.is_relative_to(SOURCE / "core"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in {"create", "bulk_create"}
                    and ast.unparse(node.value) == "AuditEntry.objects"):
                writers.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    assert writers == []


def test_a_configurator_request_is_audited_as_old_and_new(schools, user_factory):
    coordinator = user_factory("coordinator", institutions=[schools.two])
    request = submit_request(location=schools.two.locations.get(number="1"), provider="telenet",
                             offer="managed", download_mbps=500, modules=["firewall"],
                             user=coordinator)
    entry = AuditEntry.objects.get(table="connectivity.request")
    assert (entry.action, entry.object_key, entry.user) == ("create", str(request.pk),
                                                            coordinator)
    assert entry.changes["provider"] == [None, "telenet"]
    assert entry.changes["modules"] == [None, ["firewall"]]
    assert all(isinstance(pair, list) and len(pair) == 2 for pair in entry.changes.values())


def test_a_wave_a_feed_names_is_audited_with_its_import(tmp_path):
    make_schools(tmp_path)
    run = load(tmp_path, line(wave="2031-spring"))
    entry = AuditEntry.objects.get(table="vouchers.wave")
    assert (entry.action, entry.object_key, entry.import_run) == ("create", "2031-spring", run)
    assert entry.changes == {"code": [None, "2031-spring"]}


def test_a_saved_scenario_is_audited_as_old_and_new(user_factory):
    owner = user_factory("board")
    saved = save_scenario(owner=owner, name="Plan", data={"a": 1})
    save_scenario(owner=owner, name="Plan", data={"a": 2})
    delete_scenario(SavedScenario.objects.get(pk=saved.pk), by=owner)
    entries = list(AuditEntry.objects.filter(table="procurement.savedscenario").order_by("id"))
    assert [(e.action, e.changes) for e in entries] == [
        ("create", {"owner": [None, owner.username], "name": [None, "Plan"],
                    "data": [None, {"a": 1}]}),
        ("update", {"data": [{"a": 1}, {"a": 2}]}),
        ("delete", {"name": ["Plan", None], "data": [{"a": 2}, None]}),
    ]
