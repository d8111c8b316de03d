"""`ictmonitor createuser` and `ictmonitor token`: accounts and API tokens from the shell."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ictmonitor.accounts.models import ApiToken, User

GOOD = "Lang-en-sterk-wachtwoord-7"


def run(*args: str, stdin: str | None = None, monkeypatch=None) -> tuple[str, str]:
    """Run a management command in English; returns (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_createuser_makes_a_coordinator_with_a_password_from_stdin(registry, monkeypatch):
    out, err = run(
        "createuser",
        "an",
        "--role",
        "coordinator",
        "--institution",
        "100001",
        "--email",
        "an@school.be",
        "--password-stdin",
        stdin=GOOD + "\n",
        monkeypatch=monkeypatch,
    )
    user = User.objects.get(username="an")
    assert (user.role, user.email, user.is_staff) == ("coordinator", "an@school.be", False)
    assert user.check_password(GOOD)
    assert [i.number for i in user.institutions.all()] == ["100001"]
    assert "Created an" in out
    assert err == ""


def test_createuser_asks_for_the_password_twice(db, monkeypatch):
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("createuser", "ana", "--role", "analyst")
    assert User.objects.get(username="ana").check_password(GOOD)


def test_createuser_refuses_passwords_that_differ(db, monkeypatch):
    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        run("createuser", "ana", "--role", "analyst")
    assert not User.objects.filter(username="ana").exists()


def test_createuser_refuses_a_weak_password(db, monkeypatch):
    with pytest.raises(CommandError, match="too short"):
        run(
            "createuser",
            "ana",
            "--role",
            "analyst",
            "--password-stdin",
            stdin="abc\n",
            monkeypatch=monkeypatch,
        )


def test_createuser_names_an_unknown_role(db):
    with pytest.raises(CommandError, match=r"'teacher'.*analyst, board, coordinator"):
        run("createuser", "x", "--role", "teacher", "--no-password")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--institution", "999999"),
        ("--board", "nope"),
        ("--school-group", "nope"),
        ("--provider", "nope"),
    ],
)
def test_createuser_names_an_unknown_membership(registry, option, value):
    with pytest.raises(CommandError, match=f"Unknown .*'{value}'"):
        run("createuser", "x", "--role", "board", option, value, "--no-password")
    assert not User.objects.filter(username="x").exists()


def test_createuser_updates_an_existing_user_and_replaces_memberships(registry, user_factory):
    user = user_factory("coordinator", username="an", institutions=[registry.sint_jan])
    out, _ = run(
        "createuser",
        "an",
        "--role",
        "board",
        "--board",
        "950001",
        "--board",
        "950002",
        "--no-password",
    )
    user.refresh_from_db()
    assert "Updated an" in out
    assert user.role == "board"
    assert sorted(b.code for b in user.boards.all()) == ["950001", "950002"]
    assert [i.number for i in user.institutions.all()] == ["100001"]  # not given: kept
    assert user.has_usable_password()  # --no-password keeps an existing password


def test_createuser_makes_an_admin_staff_and_a_token_only_provider(db, provider):
    run("createuser", "root", "--role", "admin", "--no-password")
    run("createuser", "feed", "--role", "provider", "--provider", "telenet", "--no-password")
    root, feed = User.objects.get(username="root"), User.objects.get(username="feed")
    assert root.is_staff and root.is_superuser
    assert feed.provider == provider
    assert not feed.has_usable_password()


def test_createuser_warns_when_the_role_would_see_nothing(db):
    _, err = run("createuser", "lonely", "--role", "coordinator", "--no-password")
    assert "sees nothing" in err


def test_a_token_made_on_the_command_line_opens_the_api(registry, user_factory):
    user = user_factory("analyst", username="integration")
    out, err = run("token", "create", "integration", "--name", "nightly export")
    secret = out.strip()
    assert secret.startswith("ictm_")
    assert "not shown again" in err
    assert ApiToken.authenticate(secret) == user
    assert ApiToken.objects.get(user=user).name == "nightly export"


def test_token_list_shows_tokens_without_their_secret(db, user_factory):
    first = ApiToken.issue(user_factory("analyst", username="a1"), "one")[0]
    second, secret = ApiToken.issue(user_factory("analyst", username="a2"), "two")
    out, _ = run("token", "list")
    assert first.prefix in out and second.prefix in out
    assert secret not in out
    only, _ = run("token", "list", "a2")
    assert second.prefix in only and first.prefix not in only


def test_a_revoked_token_stops_working(db, user_factory):
    token, secret = ApiToken.issue(user_factory("analyst"), "feed")
    out, _ = run("token", "revoke", token.prefix)
    assert "Revoked" in out
    assert ApiToken.authenticate(secret) is None
    again, _ = run("token", "revoke", token.prefix)
    assert "already revoked" in again
    assert "revoked" in run("token", "list")[0]


@pytest.mark.parametrize(
    "args",
    [
        ("token", "create", "ghost", "--name", "x"),
        ("token", "list", "ghost"),
        ("token", "revoke", "deadbeef"),
    ],
)
def test_token_commands_name_what_is_unknown(db, args):
    with pytest.raises(CommandError, match=r"ghost|deadbeef"):
        run(*args)


def test_token_create_needs_a_name(db, user_factory):
    user_factory("analyst", username="integration")
    with pytest.raises(CommandError):
        run("token", "create", "integration", "--name", "  ")
