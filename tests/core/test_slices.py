"""A large file merged in slices (SQLite: one writer for the whole database) is still all or
nothing: the same tables and audit log as a merge at once, taken back whole when a slice fails
or the process dies half-way. PostgreSQL merges in one transaction, in steps of the same size
when someone is told the progress: the same results hold."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from ictmonitor.core import pipeline, slices, unfinished
from ictmonitor.core.models import AuditEntry, ImportRun, MergeUndo
from ictmonitor.core.unfinished import close_unfinished
from ictmonitor.registry.importers import flanders, import_school_list
from ictmonitor.registry.models import Institution, Location
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _school_file(tmp_path: Path, name: str, schools: int, renamed: str = "") -> Path:
    """Two locations for each school; the first school's name may be changed."""
    rows = []
    for n in range(schools):
        number = str(2000 + n)
        title = renamed if renamed and n == 0 else f"School {n}"
        rows += [row(schoolnummer=number, intern_vplnummer="1", naam=title),
                 row(schoolnummer=number, intern_vplnummer="2", naam=f"{title} annex",
                     hoofdzetel="False")]
    return write(tmp_path / name, rows)


def _tables() -> tuple[list[tuple], list[tuple]]:
    schools = list(Institution.objects.order_by("number").values_list(
        "number", "name", "level", "updated_at", "import_run_id"))
    places = list(Location.objects.order_by("institution__number", "number").values_list(
        "institution__number", "number", "name", "is_main"))
    return schools, places


def _told(*args: object, **kwargs: object) -> None:
    """A progress callback that listens to nothing (with one, PostgreSQL merges in steps)."""


def _audit(run: ImportRun) -> list[tuple]:
    return sorted(AuditEntry.objects.filter(import_run=run).values_list(
        "action", "table", "object_key"))


@pytest.fixture
def small_slices(settings):
    settings.IMPORT_MERGE_SLICE_ROWS = 3


def test_a_file_merged_in_slices_gives_what_a_merge_at_once_gives(tmp_path, settings):
    first = import_school_list(_school_file(tmp_path, "a.csv", 2), actor="t")
    settings.IMPORT_MERGE_SLICE_ROWS = 3
    big = _school_file(tmp_path, "b.csv", 7, renamed="Renamed School")
    assert slices.is_sliced(flanders.FlemishSchools(), 14) == (connection.vendor == "sqlite")
    assert slices.is_stepped(flanders.FlemishSchools(), 14) == (connection.vendor != "sqlite")
    run = import_school_list(big, actor="t", progress=_told)
    sliced_tables, sliced_audit = _tables(), _audit(run)
    assert (run.created, run.updated, run.unchanged) == (10, 2, 2)  # locations
    assert run.details["institutions"] == {"created": 5, "updated": 1, "unchanged": 1}
    assert ("create", "registry.location", "*") in sliced_audit
    assert sum(1 for a in sliced_audit if a[0] == "create") == 2  # one per table, not per slice
    created = AuditEntry.objects.get(import_run=run, action="create", table="registry.location")
    assert created.changes == {"rows": 10}
    assert not MergeUndo.objects.exists()
    assert first.pk != run.pk

    # The same files merged at once give the same tables and audit entries.
    Location.objects.all().delete()
    Institution.objects.all().delete()
    settings.IMPORT_MERGE_SLICE_ROWS = 10_000
    import_school_list(_school_file(tmp_path, "a.csv", 2), actor="t")
    again = import_school_list(big, actor="t")
    at_once = _tables()
    assert [s[:3] for s in at_once[0]] == [s[:3] for s in sliced_tables[0]]
    assert at_once[1] == sliced_tables[1]
    assert _audit(again) == sliced_audit


def _failing_in_slice(monkeypatch, failing: int) -> None:
    real = flanders.merge_school_list
    calls = []

    def merge(stage, run):
        calls.append(stage.name)
        if len(calls) == failing:
            raise RuntimeError("disk full")
        return real(stage, run)

    monkeypatch.setattr(flanders, "merge_school_list", merge)


def test_a_slice_that_fails_takes_back_the_slices_before_it(tmp_path, small_slices,
                                                             monkeypatch):
    import_school_list(_school_file(tmp_path, "a.csv", 2), actor="t")
    before = _tables()
    # The third slice on SQLite; the third step of the one transaction on PostgreSQL.
    _failing_in_slice(monkeypatch, failing=3)
    with pytest.raises(RuntimeError, match="disk full"):
        import_school_list(_school_file(tmp_path, "b.csv", 7, renamed="Renamed"), actor="t",
                           progress=_told)
    assert _tables() == before  # new schools gone, the renamed one as it was, stamps included
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.FAILED
    assert not AuditEntry.objects.filter(import_run=run).exists()
    assert not MergeUndo.objects.exists()


def test_a_process_that_dies_half_way_is_taken_back_when_the_next_import_starts(
        tmp_path, small_slices, monkeypatch):
    import_school_list(_school_file(tmp_path, "a.csv", 2), actor="t")
    before = _tables()
    if connection.vendor != "sqlite":  # one transaction: a killed process leaves nothing
        return
    # Dying leaves no chance to clean up: neither the taking back nor the run's end happen.
    _failing_in_slice(monkeypatch, failing=3)
    monkeypatch.setattr(slices, "take_back", lambda run: 0)
    monkeypatch.setattr(pipeline, "_failed", lambda run, error: None)
    with pytest.raises(RuntimeError):
        import_school_list(_school_file(tmp_path, "b.csv", 7, renamed="Renamed"), actor="t")
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.RUNNING
    assert MergeUndo.objects.filter(run=run).exists()
    assert _tables() != before  # two slices are in
    monkeypatch.undo()
    ImportRun.objects.filter(pk=run.pk).update(pid=_a_pid_nobody_has())

    # The run ends failed ("nothing was imported") only together with the taking back: while
    # that fails (the database busy), the run stays open, to be taken back the next time.
    monkeypatch.setattr(unfinished, "take_back", _busy)
    close_unfinished()  # no error: the next import or the server still starts
    run.refresh_from_db()
    assert (run.status, MergeUndo.objects.filter(run=run).exists()) == ("running", True)
    monkeypatch.undo()

    close_unfinished()

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert _tables() == before
    assert not MergeUndo.objects.exists()
    assert not AuditEntry.objects.filter(import_run=run).exists()


def test_slices_a_failed_import_could_not_take_back_are_taken_back_by_the_next(
        tmp_path, small_slices, monkeypatch):
    import_school_list(_school_file(tmp_path, "a.csv", 2), actor="t")
    before = _tables()
    if connection.vendor != "sqlite":  # one transaction: a failed merge leaves nothing
        return
    _failing_in_slice(monkeypatch, failing=3)

    monkeypatch.setattr(slices, "take_back", _busy)
    with pytest.raises(OperationalError):
        import_school_list(_school_file(tmp_path, "b.csv", 7, renamed="Renamed"), actor="t")
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.FAILED
    assert MergeUndo.objects.filter(run=run).exists() and _tables() != before
    monkeypatch.undo()

    close_unfinished()  # as the next import or the server's start does

    assert _tables() == before
    assert not MergeUndo.objects.exists()
    assert not AuditEntry.objects.filter(import_run=run).exists()


def _busy(run: ImportRun) -> int:
    raise OperationalError("database is locked")


def _a_pid_nobody_has() -> int:
    pid = 4_000_000
    while os.path.exists(f"/proc/{pid}"):
        pid += 1
    return pid


def test_the_progress_moves_while_the_slices_are_written(tmp_path, small_slices):
    told = []
    import_school_list(_school_file(tmp_path, "c.csv", 7), actor="t",
                       progress=lambda *args, **kw: told.append((kw.get("phase"),
                                                                  kw.get("written", 0))))
    written = [n for phase, n in told if phase == "writing" and n]
    # Slices (SQLite) or steps of one transaction (PostgreSQL) of 3 rows, an institution's
    # rows together: told after each.
    assert len(written) >= 4 and written == sorted(written) and written[-1] == 14
    assert ("writing", 0) in told  # the phase is told before the first slice


def test_postgresqls_steps_are_about_a_twentieth_of_the_file_within_bounds(settings):
    settings.IMPORT_MERGE_SLICE_ROWS = 10_000
    assert slices.step_rows(100_000) == 10_000  # never smaller than a slice
    assert slices.step_rows(600_000) == 30_000
    assert slices.step_rows(10_000_000) == 50_000  # each told within a second or so


def test_postgresqls_next_step_takes_about_step_seconds_at_the_last_ones_rate(settings):
    settings.IMPORT_MERGE_SLICE_ROWS = 10_000
    assert slices.STEP_SECONDS == 0.75
    assert slices.next_step_rows(10_000, 0.25, 50_000) == 30_000  # 40,000 a second
    assert slices.next_step_rows(50_000, 5.0, 50_000) == 10_000  # slow (load): never fewer
    assert slices.next_step_rows(30_000, 1.5, 50_000) == 15_000
    assert slices.next_step_rows(10_000, 0.01, 50_000) == 50_000  # never more than the most
    assert slices.next_step_rows(10_000, 0.0, 20_000) == 20_000


def test_postgresqls_steps_check_their_foreign_keys_as_each_ends(tmp_path, small_slices,
                                                                  monkeypatch):
    """Not all of them at the commit, where the job's progress would stand still (SQLite's
    slices commit one by one: nothing to see there)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's one transaction only")
    import_school_list(_school_file(tmp_path, "a.csv", 2), actor="t")
    real, caught = flanders.merge_school_list, []

    def merge(stage, run):
        try:
            with transaction.atomic(), connection.cursor() as cursor:  # a savepoint
                cursor.execute("UPDATE registry_location SET institution_id = -1 "
                               "WHERE id = (SELECT min(id) FROM registry_location)")
        except IntegrityError:
            caught.append(stage.name)
        return real(stage, run)

    monkeypatch.setattr(flanders, "merge_school_list", merge)
    run = import_school_list(_school_file(tmp_path, "b.csv", 7), actor="t", progress=_told)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert len(caught) >= 3  # in every step, at once
