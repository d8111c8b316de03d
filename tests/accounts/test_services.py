"""Users and tokens are written through accounts.services, each write audited as [old, new] under
the model's label, from the commands and the admin alike; no password or secret in the log."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from ictmonitor.accounts.models import ApiToken, User
from ictmonitor.accounts.services import issue_token, revoke_tokens, save_user
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import WriteRefused

pytestmark = pytest.mark.django_db
GOOD = "Lang-en-sterk-wachtwoord-7"


def entries(table: str) -> list[AuditEntry]:
    """The audit entries of a table, oldest first."""
    return list(AuditEntry.objects.filter(table=table).order_by("id"))


def test_a_new_user_is_audited_with_its_role_and_without_its_password(provider):
    user, created = save_user("feed", role="provider", by="ops", password=GOOD,
                              memberships={"provider": provider})
    assert created and user.check_password(GOOD)
    [entry] = entries("accounts.user")
    assert (entry.action, entry.object_key, entry.actor) == ("create", "feed", "ops")
    assert entry.changes["role"] == [None, "provider"]
    assert entry.changes["provider_id"] == [None, "telenet"]
    assert entry.changes["password"] == [None, "set"]
    assert GOOD not in json.dumps(entry.changes) and user.password not in json.dumps(entry.changes)


def test_changed_memberships_are_audited_and_an_unchanged_save_is_not(user_factory):
    from ictmonitor.registry.models import Board

    stamp = {"created_at": "2024-01-01T00:00Z", "updated_at": "2024-01-01T00:00Z",
             "changed_by": "test"}
    board = Board.objects.create(code="B1", name="Een", **stamp)
    user = user_factory("board", username="bo")
    save_user("bo", role="board", by="ops", memberships={"boards": [board]})
    [entry] = entries("accounts.user")
    assert entry.action == "update"
    assert entry.changes == {"boards": [[], [str(board.pk)]]}
    save_user("bo", role="board", by="ops", memberships={"boards": [board]})
    assert len(entries("accounts.user")) == 1
    assert user.pk == User.objects.get(username="bo").pk


def test_a_refused_password_writes_nothing(db):
    with pytest.raises(WriteRefused):
        save_user("ana", role="analyst", by="ops", password="kort")
    with pytest.raises(WriteRefused):
        save_user("ana", role="teacher", by="ops")
    assert not User.objects.filter(username="ana").exists()
    assert not AuditEntry.objects.exists()


def test_a_token_is_audited_by_its_prefix_never_its_secret(user_factory):
    user = user_factory("analyst")
    token, secret = issue_token(user, " nightly ", by=user)
    [entry] = entries("accounts.apitoken")
    assert (entry.action, entry.object_key, entry.user) == ("create", token.prefix, user)
    assert entry.changes == {"user": [None, user.username], "name": [None, "nightly"]}
    assert secret not in json.dumps(entry.changes) and token.digest not in json.dumps(entry.changes)
    assert revoke_tokens([token], by="ops") == 1
    assert revoke_tokens([token], by="ops") == 0
    revoked = entries("accounts.apitoken")[1:]
    assert [(e.action, list(e.changes)) for e in revoked] == [("update", ["revoked_at"])]
    assert ApiToken.authenticate(secret) is None


def test_the_commands_write_through_the_services(user_factory):
    user_factory("analyst", username="integration")
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("createuser", "root", "--role", "admin", "--no-password", stdout=out)
        call_command("token", "create", "integration", "--name", "export", stdout=out, stderr=err)
        secret = out.getvalue().splitlines()[-1]
        prefix = secret.split("_")[1]
        call_command("token", "revoke", prefix, stdout=out)
    actions = [(e.table, e.action, e.object_key) for e in AuditEntry.objects.order_by("id")]
    assert actions == [("accounts.user", "create", "root"),
                       ("accounts.apitoken", "create", prefix),
                       ("accounts.apitoken", "update", prefix)]
    assert all(e.actor.endswith("(command line)") for e in AuditEntry.objects.all())
    assert secret not in json.dumps([e.changes for e in AuditEntry.objects.all()])


def test_the_admin_audits_users_passwords_and_revoked_tokens(client_for):
    operator = client_for("admin", username="operator")
    answer = operator.post(reverse("admin:accounts_user_add"), {
        "username": "coord", "email": "coord@example.org", "role": "coordinator",
        "usable_password": "false",
    })
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    coord = User.objects.get(username="coord")
    url = reverse("admin:auth_user_password_change", args=[coord.pk])
    changed = operator.post(url, {"password1": GOOD, "password2": GOOD,
                                  "usable_password": "true"})
    assert changed.status_code == 302
    token, _secret = ApiToken.issue(coord, "feed")
    operator.post(reverse("admin:accounts_apitoken_changelist"),
                  {"action": "revoke", "_selected_action": [token.pk]})
    log = [(e.table, e.action, e.object_key, e.actor) for e in AuditEntry.objects.order_by("id")]
    assert log == [("accounts.user", "create", "coord", "operator"),
                   ("accounts.user", "update", "coord", "operator"),
                   ("accounts.apitoken", "update", token.prefix, "operator")]
    assert AuditEntry.objects.filter(object_key="coord").order_by("id").last().changes == {
        "password": [None, "set"]}
    coord.refresh_from_db()
    assert coord.password not in json.dumps([e.changes for e in AuditEntry.objects.all()])
