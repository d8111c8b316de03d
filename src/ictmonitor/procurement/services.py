"""Every write of the procurement app: saving and deleting a user's scenarios, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.procurement.models import SavedScenario

TABLE = "procurement.savedscenario"


@transaction.atomic
def save_scenario(*, owner: Any, name: str, data: dict[str, Any]) -> SavedScenario:
    """Save the owner's scenario under a name, replacing theirs of the same name; who and when."""
    now, actor = timezone.now(), owner.get_username()
    saved = SavedScenario.objects.select_for_update().filter(owner=owner, name=name).first()
    if saved is None:
        saved = SavedScenario.objects.create(owner=owner, name=name, data=data, created_at=now,
                                             updated_at=now, changed_by=actor)
        action = AuditEntry.Action.CREATE
        changes = {"owner": owner.pk, "name": name, "data": data}
    else:
        changes = {"data": [saved.data, data]} if saved.data != data else {}
        saved.data, saved.updated_at, saved.changed_by = data, now, actor
        saved.save(update_fields=["data", "updated_at", "changed_by"])
        action = AuditEntry.Action.UPDATE
    AuditEntry.objects.create(at=now, actor=actor, user=owner, action=action, table=TABLE,
                              object_key=str(saved.pk), changes=changes)
    return saved


@transaction.atomic
def delete_scenario(saved: SavedScenario, *, by: Any) -> None:
    """Delete a saved scenario, recording who did and what it held."""
    AuditEntry.objects.create(at=timezone.now(), actor=by.get_username(), user=by,
                              action=AuditEntry.Action.DELETE, table=TABLE,
                              object_key=str(saved.pk),
                              changes={"name": saved.name, "data": saved.data})
    saved.delete()
