"""The test set-up itself: the database asked for, URL parsing, the command line, the fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ictmonitor.cli import import_commands, main, translate
from ictmonitor.config import DatabaseUrlError, database_from_url


@pytest.mark.django_db
def test_runs_on_the_database_asked_for(request: pytest.FixtureRequest) -> None:
    expected = "postgresql" if request.config.getoption("postgresql") else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_tests_keep_their_data_out_of_the_checkout() -> None:
    data_dir = Path(os.environ["ICTMONITOR_DATA_DIR"])
    assert Path(settings.DATA_DIR) == data_dir
    assert Path(settings.STATIC_ROOT).is_relative_to(data_dir)
    assert not data_dir.is_relative_to(Path(__file__).resolve().parents[1])


def test_a_sqlite_url_names_a_file() -> None:
    db = database_from_url("sqlite:////var/lib/ictmonitor/db.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == "/var/lib/ictmonitor/db.sqlite3"


def test_a_postgresql_url_gives_every_part() -> None:
    db = database_from_url("postgresql://monitor:s%40cret@db.example.org:5433/ictmonitor")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "ictmonitor",
        "monitor",
        "s@cret",
        "db.example.org",
        "5433",
    )


def test_a_postgresql_url_can_name_a_socket_folder() -> None:
    db = database_from_url("postgres:///ictmonitor?host=/var/run/postgresql&sslmode=disable")
    assert db["HOST"] == "/var/run/postgresql"
    assert db["NAME"] == "ictmonitor"
    assert db["OPTIONS"] == {"sslmode": "disable"}


@pytest.mark.parametrize("url", ["mysql://u@h/db", "ictmonitor.sqlite3", ""])
def test_an_unknown_database_url_is_refused(url: str) -> None:
    with pytest.raises(DatabaseUrlError, match="unknown scheme"):
        database_from_url(url)


def test_import_kind_maps_to_its_management_command() -> None:
    assert translate(["import", "schools", "f.csv"]) == ["import_schools", "f.csv"]
    assert translate(["migrate"]) == ["migrate"]


def test_every_kind_of_file_is_importable_and_an_unknown_kind_names_them(capsys) -> None:
    assert import_commands() == ["import_enrolments", "import_labels", "import_measurements",
                                 "import_schools", "import_subscriptions", "import_vouchers"]
    with pytest.raises(SystemExit) as stopped:
        main(["import", "pupils", "f.csv"])
    assert stopped.value.code == 2
    assert ("ictmonitor import {enrolments,labels,measurements,schools,subscriptions,vouchers} "
            "FILE") in (
        capsys.readouterr().err)


@pytest.mark.parametrize("role", ["analyst", "board", "coordinator", "provider", "admin"])
def test_client_for_logs_in_a_user_of_each_role(client_for, role: str) -> None:
    client = client_for(role)
    assert client.user.role == role
    assert int(client.session["_auth_user_id"]) == client.user.pk
    assert (role == "provider") == (client.user.provider is not None)


def test_factory_users_can_log_in_with_the_known_password(user_factory, password, client) -> None:
    user = user_factory("coordinator")
    assert client.login(username=user.username, password=password)
    assert not client.login(username=user.username, password="wrong")


def test_the_sample_school_file_is_found(sample_school_file: Path) -> None:
    assert sample_school_file.name == "flanders-school-locations-sample.csv"
    assert sample_school_file.stat().st_size > 0


def test_login_throttling_is_off_unless_asked_for() -> None:
    assert settings.AXES_ENABLED is False


@pytest.mark.axes
def test_the_axes_marker_keeps_login_throttling_on() -> None:
    assert settings.AXES_ENABLED is not False


def test_missing_postgresql_binaries_say_what_to_run(monkeypatch, tmp_path: Path) -> None:
    from tests import pgcluster

    monkeypatch.setattr(pgcluster, "PG_ROOT", tmp_path)
    with pytest.raises(pgcluster.PostgresMissing, match="make system-deps"):
        pgcluster.start()


@pytest.mark.django_db
def test_every_model_change_has_its_migration() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) if not
