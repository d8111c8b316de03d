"""Every write of the procurement app: saving and deleting a user's scenarios, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit, stamp, who
from ictmonitor.procurement.models import SavedScenario


@transaction.atomic
def save_scenario(*, owner: Any, name: str, data: dict[str, Any]) -> SavedScenario:
    """Save the owner's scenario under a name, replacing theirs of the same name; who and when."""
    now, (_user, actor) = timezone.now(), who(owner)
    saved = SavedScenario.objects.select_for_update().filter(owner=owner, name=name).first()
    if saved is None:
        saved = SavedScenario.objects.create(owner=owner, name=name, data=data,
                                             **stamp(actor, now, created=True))
        action = AuditEntry.Action.CREATE
        changes: dict[str, Any] = {"owner": (None, actor), "name": (None, name),
                                   "data": (None, data)}
    else:
        changes = {"data": (saved.data, data)} if saved.data != data else {}
        saved.data, saved.updated_at, saved.changed_by = data, now, actor
        saved.save(update_fields=["data", "updated_at", "changed_by"])
        action = AuditEntry.Action.UPDATE
    audit(owner, now, action, SavedScenario, str(saved.pk), changes)
    return saved


@transaction.atomic
def delete_scenario(saved: SavedScenario, *, by: Any) -> None:
    """Delete a saved scenario, recording who did and what it held."""
    audit(by, timezone.now(), AuditEntry.Action.DELETE, SavedScenario, str(saved.pk),
          {"name": (saved.name, None), "data": (saved.data, None)})
    saved.delete()
