"""The import kinds the apps register with core at start-up (core/importkinds.py): core lists
none itself, yet every kind is there, with an importer that loads, and the names on screen."""

from __future__ import annotations

from django.utils import translation
from django.utils.module_loading import import_string

from ictmonitor.core import importkinds


def test_every_app_registered_its_kinds_and_each_importer_loads() -> None:
    assert set(importkinds.KINDS) >= {"schools", "enrolments", "labels", "subscriptions",
                                      "vouchers", "measurements"}
    for kind in importkinds.KINDS.values():
        importer = import_string(kind.importer) if isinstance(kind.importer, str) else kind.importer
        assert callable(importer), kind.code
    feeds = {code for code, kind in importkinds.KINDS.items() if kind.provider_feed}
    assert feeds == {"subscriptions", "vouchers", "measurements"}


def test_runs_and_tables_are_named_as_their_apps_registered_them() -> None:
    with translation.override("en"):
        assert importkinds.run_label("schools-duo") == "DUO school list"
        assert importkinds.run_label("subscriptions") == "subscription feed"
        assert importkinds.table_label("locations") == "locations"
        assert importkinds.run_label("no-such-kind") == "no-such-kind"
        assert importkinds.table_label("no_such_table") == "no_such_table"


def test_the_jobs_app_registered_how_a_command_queues_in_the_background() -> None:
    assert importkinds._background == ["ictmonitor.jobs.uploads.queue_file"]
    assert callable(import_string(importkinds._background[0]))
