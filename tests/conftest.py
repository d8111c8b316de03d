"""Shared test set-up: the database asked for, a private data folder, users and clients by role."""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Before anything reads it: tests never touch the developer's data/ folder. pytest-django loads
# the settings before this file, so pytest_configure below also moves what they derived from it.
_DATA_DIR = tempfile.mkdtemp(prefix="ictmonitor-test-data-")
os.environ.setdefault("ICTMONITOR_DATA_DIR", _DATA_DIR)

PASSWORD = "Correct-horse-battery-staple-42"
_cluster: Any = None


def pytest_addoption(parser: pytest.Parser) -> None:
    """--postgresql: run on a throwaway PostgreSQL server instead of SQLite."""
    parser.addoption(
        "--postgresql",
        action="store_true",
        help="run the tests on a throwaway PostgreSQL server (tests/pgcluster.py)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register markers, keep data in the temporary folder, pick the database."""
    global _cluster
    config.addinivalue_line("markers", "axes: keep login throttling (django-axes) switched on")
    from django.conf import settings
    from django.db import connections

    from ictmonitor.config import database_from_url

    data_dir = Path(os.environ["ICTMONITOR_DATA_DIR"])
    _move_data_dir(settings, data_dir)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Nothing is collected for a test run: pages name the apps' files by their plain names. The
    # collected, hashed and compressed files are tested on their own (tests/core/test_collected.py).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    url = f"sqlite:///{data_dir / 'ictmonitor.sqlite3'}"  # never ICTMONITOR_DATABASE_URL
    if config.getoption("postgresql"):
        from tests import pgcluster

        _cluster = _cluster or pgcluster.start()
        url = _cluster.url
    # Jobs run at once, inside the request that queues them; tests of the real queue (a worker
    # taking jobs from the database) use the "database" backend (tests/jobs).
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
    # In place: pytest-django and the connection handler hold this very dict.
    settings.DATABASES["default"].update(database_from_url(url))
    with contextlib.suppress(AttributeError):  # no connection made yet
        del connections["default"]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the PostgreSQL server and remove the temporary data folder."""
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> str:
    """Say which database the tests run on."""
    if _cluster is not None:
        return f"database: postgresql, throwaway server at {_cluster.url}"
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


def _move_data_dir(settings: Any, new: Path) -> None:
    """Point every setting that lies under the configured data folder to the new one."""
    old = Path(settings.DATA_DIR)
    if old == new:
        return
    for name in [n for n in vars(sys.modules[settings.SETTINGS_MODULE]) if n.isupper()]:
        value = getattr(settings, name)
        if (type(value) is str or isinstance(value, Path)) and Path(value).is_relative_to(old):
            setattr(settings, name, type(value)(new / Path(value).relative_to(old)))


@pytest.fixture(autouse=True)
def _no_login_throttling(request: pytest.FixtureRequest, settings: Any) -> None:
    """Switch django-axes off, so client.login() works, unless the test is marked axes."""
    if request.node.get_closest_marker("axes") is None:
        settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the site's default language: a request through the test client
    leaves its language active in the thread, which the next test would otherwise inherit."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@functools.cache
def _password_hash(password: str) -> str:
    """Hash each test password once: Argon2 takes a tenth of a second per user."""
    from django.contrib.auth.hashers import make_password

    return make_password(password)


@pytest.fixture
def password() -> str:
    """The password every user_factory user has unless told otherwise."""
    return PASSWORD


@pytest.fixture
def provider(db: None) -> Any:
    """An internet provider, Telenet."""
    from ictmonitor.connectivity.models import Provider

    return Provider.objects.get_or_create(code="telenet", defaults={"name": "Telenet"})[0]


@pytest.fixture
def user_factory(db: None) -> Callable[..., Any]:
    """make(role, institutions=, boards=, school_groups=, provider=, **fields) -> a saved User."""
    from ictmonitor.accounts.models import Role, User
    from ictmonitor.connectivity.models import Provider

    numbers = itertools.count(1)

    def make(
        role: str = "analyst",
        *,
        password: str = PASSWORD,
        institutions: Any = (),
        boards: Any = (),
        school_groups: Any = (),
        **fields: Any,
    ) -> User:
        role = Role(role).value
        n = next(numbers)
        fields.setdefault("username", f"{role}{n}")
        fields.setdefault("email", f"{fields['username']}@example.org")
        if role == Role.ADMIN:
            fields.setdefault("is_staff", True)
            fields.setdefault("is_superuser", True)
        if role == Role.PROVIDER and fields.get("provider") is None:
            code = f"provider-{fields['username']}"
            fields["provider"] = Provider.objects.create(code=code, name=code.title())
        user = User(role=role, **fields)
        user.password = _password_hash(password)
        user.save()
        for relation, members in (
            ("institutions", institutions),
            ("boards", boards),
            ("school_groups", school_groups),
        ):
            if members:
                getattr(user, relation).set(members)
        return user

    return make


@pytest.fixture
def client_for(user_factory: Callable[..., Any]) -> Callable[..., Any]:
    """login(role_or_user, **memberships) -> a logged-in django Client; its .user is the user."""
    from django.test import Client

    def login(role_or_user: Any, **memberships: Any) -> Client:
        user = (
            user_factory(role_or_user, **memberships)
            if isinstance(role_or_user, str)
            else role_or_user
        )
        client = Client()
        client.force_login(user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return login


def shared_data_dir() -> Path:
    """shared/data beside the checkout, or under $ICTMONITOR_SHARED_DIR."""
    beside = Path(__file__).resolve().parents[2] / "shared" / "data"
    if beside.is_dir() or "ICTMONITOR_SHARED_DIR" not in os.environ:
        return beside
    return Path(os.environ["ICTMONITOR_SHARED_DIR"]) / "data"


@pytest.fixture
def sample_school_file() -> Path:
    """The sample of Flanders' school-locations list from shared/data."""
    path = shared_data_dir() / "flanders-school-locations-sample.csv"
    if not path.exists():
        pytest.fail(
            f"{path} is missing: put shared/ beside the checkout or set ICTMONITOR_SHARED_DIR",
            pytrace=False,
        )
    return path
