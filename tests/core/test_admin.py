"""The admin for operators: history stays read-only, changes by hand are stamped and audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from ictmonitor.accounts.models import ApiToken, User
from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Board, Institution
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path) -> ImportRun:
    """Two schools, imported by 'importer'."""
    rows = [row(), row(schoolnummer="1002", naam="Vrije Basisschool Twee")]
    return import_school_list(write(tmp_path / "schools.csv", rows), actor="importer")


@pytest.fixture
def operator(client_for):
    """A logged-in administrator (staff, superuser)."""
    return client_for("admin", username="operator")


def form_data(response) -> dict[str, Any]:
    """What a browser would post back from an admin change form, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


@pytest.mark.parametrize("model", [ImportRun, AuditEntry])
def test_the_import_history_and_audit_log_cannot_be_changed_or_deleted(
    model, operator, imported
):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = operator.user
    assert request.user.is_superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    obj = model.objects.first()
    info = model._meta.app_label, model._meta.model_name
    assert operator.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    view = operator.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    assert view.status_code == 200 and 'name="_save"' not in view.content.decode()
    assert operator.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403
    delete = reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])
    assert operator.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_saving_an_institution_records_who_and_an_audit_entry(operator, imported):
    school = Institution.objects.get(number="1002")
    url = reverse("admin:registry_institution_change", args=[school.pk])
    data = form_data(operator.get(url))
    data["name"] = "Vrije Basisschool De Twee"
    answer = operator.post(url, data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    school.refresh_from_db()
    assert (school.name, school.changed_by, school.import_run) == (
        "Vrije Basisschool De Twee", "operator", None
    )
    assert school.updated_at > school.created_at
    entry = AuditEntry.objects.get(action="update", table="registry.institution")
    assert (entry.object_key, entry.actor, entry.user) == ("1002", "operator", operator.user)
    assert entry.changes == {"name": ["Vrije Basisschool Twee", "Vrije Basisschool De Twee"]}
    assert entry.import_run is None


def test_saving_an_unchanged_institution_records_nothing(operator, imported):
    school = Institution.objects.get(number="1001")
    url = reverse("admin:registry_institution_change", args=[school.pk])
    assert operator.post(url, form_data(operator.get(url))).status_code == 302
    school.refresh_from_db()
    assert school.changed_by == "importer"
    assert not AuditEntry.objects.filter(action="update").exists()


def test_a_changed_board_is_audited_by_its_id_and_shown_by_its_name(
    operator, imported, client_for
):
    school = Institution.objects.get(number="1002")
    other = Board.objects.get(code="113878")
    new = Board.objects.create(code="BS9", name="Scholen aan Zee", created_at=other.created_at,
                               updated_at=other.updated_at, changed_by="test")
    url = reverse("admin:registry_institution_change", args=[school.pk])
    data = form_data(operator.get(url)) | {"board": new.pk}
    assert operator.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="update", object_key="1002")
    assert entry.changes == {"board_id": [other.pk, new.pk]}
    analyst = client_for("analyst")
    analyst.cookies["django_language"] = "en"
    page = analyst.get(reverse("core:audit"), {"table": "registry.institution", "key": "1002"})
    assert "113878 → Scholen aan Zee" in page.content.decode()


def test_adding_a_board_by_hand_is_stamped_and_audited(operator):
    answer = operator.post(reverse("admin:registry_board_add"), {"code": "B77", "name": "Kempen"})
    assert answer.status_code == 302
    board = Board.objects.get(code="B77")
    assert board.changed_by == "operator" and board.created_at == board.updated_at
    entry = AuditEntry.objects.get(table="registry.board")
    assert (entry.action, entry.object_key) == ("create", "B77")
    assert entry.changes == {"code": [None, "B77"], "name": [None, "Kempen"]}


def test_every_admin_list_opens_for_an_operator(operator, imported):
    ApiToken.issue(operator.user, "feed")
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        answer = operator.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert answer.status_code == 200, model
        obj = model._default_manager.first()
        if obj is not None:
            change = operator.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            assert change.status_code == 200, model
    school = Institution.objects.get(number="1001")
    page = operator.get(reverse("admin:registry_institution_change", args=[school.pk]))
    assert "GO! basisschool De Test" in page.content.decode()  # its location, inline


def test_an_operator_makes_a_coordinator_for_a_school(operator, imported):
    school = Institution.objects.get(number="1001")
    answer = operator.post(reverse("admin:accounts_user_add"), {
        "username": "coord", "email": "coord@example.org", "role": "coordinator",
        "usable_password": "false", "institutions": [school.pk],
    })
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    user = User.objects.get(username="coord")
    assert user.role == "coordinator"
    assert list(user.institutions.all()) == [school]


def test_revoking_api_tokens_in_the_admin(operator):
    token, secret = ApiToken.issue(operator.user, "feed")
    assert ApiToken.authenticate(secret) == operator.user
    answer = operator.post(reverse("admin:accounts_apitoken_changelist"), {
        "action": "revoke", "_selected_action": [token.pk],
    })
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.authenticate(secret) is None
    change = operator.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert token.digest not in change.content.decode()
    # Revoked, never deleted: a deleted token would no longer say who used the API when.
    delete = reverse("admin:accounts_apitoken_delete", args=[token.pk])
    assert delete not in change.content.decode()
    assert operator.post(delete, {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_catalogue_admin_is_audited_by_the_same_mixin_many_to_many_included(operator):
    from ictmonitor.connectivity.models import Module, Provider

    answer = operator.post(reverse("admin:connectivity_provider_add"),
                           {"code": "edpnet", "name": "EDPnet"})
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    created = AuditEntry.objects.get(table="connectivity.provider")
    assert (created.action, created.object_key, created.actor) == ("create", "edpnet", "operator")
    assert created.changes == {"code": [None, "edpnet"], "name": [None, "EDPnet"]}
    module = Module.objects.exclude(requires=None).first()
    assert module is not None, "the catalogue has a module that needs another"
    before = sorted(str(m.pk) for m in module.requires.all())
    url = reverse("admin:connectivity_module_change", args=[module.pk])
    data = form_data(operator.get(url)) | {"requires": []}
    assert operator.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(table="connectivity.module")
    assert (entry.action, entry.changes) == ("update", {"requires": [before, []]})
    assert Provider.objects.filter(code="edpnet").exists()
