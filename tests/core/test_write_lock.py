"""A long import keeps no write lock while it reads: other users' writes are answered meanwhile
(SQLite has a single writer), and reading with an API token writes nothing that could wait."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from ictmonitor.accounts.models import USE_RECORDED_EVERY, ApiToken, Role, User
from ictmonitor.core.models import ImportRun
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution
from tests.registry.flemish_rows import row, write


def _in_a_transaction() -> bool:
    raw = connection.connection
    if connection.vendor == "sqlite":
        return bool(raw.in_transaction)
    from psycopg.pq import TransactionStatus

    return raw.info.transaction_status != TransactionStatus.IDLE


def _write_from_another_connection(name: str) -> list[BaseException]:
    """Make a user from a second connection, as another request would; the errors it met."""
    errors: list[BaseException] = []

    def make() -> None:
        try:
            with transaction.atomic():
                User.objects.create(username=name, role=Role.ANALYST)
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    other = threading.Thread(target=make)
    other.start()
    other.join(timeout=20)
    assert not other.is_alive(), "the other writer waited for the import"
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_holds_no_transaction_while_it_reads_and_stages(tmp_path):
    rows = [row(schoolnummer=str(1000 + n), naam=f"School {n}") for n in range(3)]
    seen: list[tuple[bool, bool, list[BaseException]]] = []

    def progress(*figures: object, **more: object) -> None:
        seen.append((connection.in_atomic_block, _in_a_transaction(),
                     _write_from_another_connection(f"meanwhile{len(seen)}")))

    run = import_school_list(write(tmp_path / "schools.csv", rows), actor="t", progress=progress)
    assert run.status == run.Status.SUCCEEDED
    assert seen and all(state == (False, False, []) for state in seen)
    assert Institution.objects.count() == 3
    assert User.objects.filter(username__startswith="meanwhile").count() == len(seen)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refused_import_leaves_no_staging_table_and_nothing_written(tmp_path):
    rows = [row(), row()]  # the same location twice
    with pytest.raises(Exception, match="refused|Refused|problem") as refused:
        import_school_list(write(tmp_path / "schools.csv", rows), actor="t")
    assert "already" in str(refused.value.problems.lines()) or refused.value.problems
    assert Institution.objects.count() == 0
    assert "stage_schools" not in {t.lower() for t in connection.introspection.table_names()}


def _token_client(user_factory) -> tuple[Client, ApiToken]:
    token, secret = ApiToken.issue(user_factory("analyst"), "soak")
    return Client(headers={"Authorization": f"Bearer {secret}"}), token


@pytest.mark.django_db
def test_a_token_use_is_written_at_most_once_every_few_minutes(user_factory):
    client, token = _token_client(user_factory)
    assert client.get("/api/v1/schools").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert client.get("/api/v1/schools").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - USE_RECORDED_EVERY - timedelta(seconds=1))
    assert client.get("/api/v1/schools").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_token_read_is_answered_while_another_writer_holds_the_lock(user_factory):
    client, token = _token_client(user_factory)
    holding, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        # SQLite has one writer for the whole database: any write holds it (here on another
        # table, as the in-memory test database locks by table). PostgreSQL locks rows: lock
        # the token's own row.
        try:
            with transaction.atomic():
                if connection.vendor == "sqlite":
                    ImportRun.objects.create(kind="held", file_name="held", actor="held")
                else:
                    ApiToken.objects.filter(pk=token.pk).update(name="held")
                holding.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    writer = threading.Thread(target=hold_the_lock)
    writer.start()
    try:
        assert holding.wait(timeout=10)
        started = timezone.now()
        response = client.get("/api/v1/schools")
        waited = timezone.now() - started
    finally:
        release.set()
        writer.join(timeout=30)
    assert response.status_code == 200
    assert waited < timedelta(seconds=5)
    token.refresh_from_db()
    assert token.last_used_at is None  # skipped, to be written by a later request
    assert client.get("/api/v1/schools").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
