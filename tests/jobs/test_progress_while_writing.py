"""A large file's job shows its rows written moving while the merge runs, to anyone looking from
another connection: between SQLite's slices, and on PostgreSQL inside the import's one
transaction (written there through a second connection of the job's own)."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from ictmonitor.jobs import tasks
from ictmonitor.jobs.models import Job
from ictmonitor.jobs.uploads import queue_upload
from ictmonitor.registry.importers import flanders
from tests.jobs.test_jobs import school_upload

# Committed rows: the job's row must be seen from a connection other than the test's.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_rows_written_move_for_another_connection_while_the_merge_runs(
        user_factory, tmp_path, settings, monkeypatch):
    settings.IMPORT_MERGE_SLICE_ROWS = 3  # an institution's rows together: slices of 4 rows
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 0)
    outside = connections.create_connection(DEFAULT_DB_ALIAS)
    seen: list[tuple[bool, int]] = []
    real = flanders.merge_school_list

    def merge(stage, run):  # each slice or step looks at the job from outside first
        with outside.cursor() as cursor:
            cursor.execute(f"SELECT max(rows_written) FROM {Job._meta.db_table}")
            seen.append((connection.in_atomic_block, cursor.fetchone()[0]))
        return real(stage, run)

    monkeypatch.setattr(flanders, "merge_school_list", merge)
    try:
        job = queue_upload(school_upload(tmp_path, 7), "schools", user_factory("analyst"))
    finally:
        outside.close()
    job.refresh_from_db()
    assert (job.state, job.import_run.created) == ("succeeded", 7)
    written = [rows for _open, rows in seen]
    assert written == [0, 3, 6]  # 7 schools of one location each: slices of 3 + 3 + 1 rows
    # Seen while a transaction wrote the real tables: the slice's on SQLite, the whole file's
    # on PostgreSQL.
    assert all(open_ for open_, _rows in seen)


def test_the_second_connection_writes_only_inside_a_transaction_on_postgresql():
    job = Job.objects.create(kind="schools", file_name="f.csv", actor="t")
    aside = tasks.ProgressConnection(job.pk)
    assert not aside.update({"rows_written": 5})  # no transaction open: the import's writes
    outside = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic():  # as the import's merge
            done = aside.update({"rows_written": 5, "phase": "writing"})
            assert done == (connection.vendor == "postgresql")  # SQLite's second writer waits
            with outside.cursor() as cursor:
                cursor.execute(f"SELECT rows_written FROM {Job._meta.db_table}")
                assert cursor.fetchone()[0] == (5 if done else 0)
    finally:
        outside.close()
    aside.close()
    assert aside.wrapper is None
