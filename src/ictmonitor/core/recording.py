"""What every write made by hand (not by an import) shares: who acts, the stamp of the written
row (the Recorded columns), its audit entry, and the error a rule refusing the write raises."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from ictmonitor.core.models import AuditEntry, ImportRun

_encoder = DjangoJSONEncoder()


class WriteRefused(ValueError):
    """A write an app's rules refuse; the message says why, `reason` says what kind.

    reason: `not-found` (nothing to act on, or not yours), `conflict` (done already, or someone
    else got there first), `refused` (the rule does not allow it).
    """

    def __init__(self, message: str, reason: str = "refused") -> None:
        super().__init__(message)
        self.reason = reason


def who(by: Any) -> tuple[Any, str]:
    """(user or None, the actor's name) of a user, or of a plain actor name."""
    if by is None or isinstance(by, str):
        return None, by or "system"
    return by, by.get_username()


def stamp(actor: str, now: datetime, *, created: bool = False) -> dict[str, Any]:
    """The Recorded columns of a row written by hand (no import)."""
    values: dict[str, Any] = {"updated_at": now, "changed_by": actor, "import_run": None}
    if created:
        values["created_at"] = now
    return values


def plain(value: object) -> object:
    """A value as the audit log keeps it, as the importers keep it (dates as ISO text)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return _encoder.default(value)


def table_of(model: str | type[models.Model] | models.Model) -> str:
    """The audit log's name of a table: the model's label (`vouchers.wave`), as imports name it."""
    if isinstance(model, str):
        return model
    return model._meta.label_lower


def column_values(obj: models.Model, names: Iterable[str]) -> dict[str, object]:
    """The stored value of each named field, keyed by column (attname) as the importers do."""
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.concrete and not field.many_to_many:
            values[field.attname] = plain(field.value_from_object(obj))  # type: ignore[union-attr]
    return values


def audit(by: Any, now: datetime, action: str, table: str | type[models.Model] | models.Model,
          key: str, changes: dict[str, Any], *, run: ImportRun | None = None) -> AuditEntry:
    """Record one change to one row: `changes` maps a field to (old, new), kept as [old, new];
    the table is named by its model's label. The only way a write is audited, by hand or by an
    import's own step (`run`: the import that made it, acting for its user)."""
    user, actor = who(by)
    return AuditEntry.objects.create(
        at=now, actor=actor, user=user, action=action, table=table_of(table), object_key=key,
        changes={name: [plain(old), plain(new)] for name, (old, new) in changes.items()},
        import_run=run,
    )


def audit_each(by: Any, now: datetime, action: str,
               table: str | type[models.Model] | models.Model,
               changes: Iterable[tuple[str, dict[str, Any]]], batch: int = 5000) -> int:
    """Record one change to each of many rows, as `audit` does one: (key, {field: (old, new)})
    pairs, written in batches (a wholesale change of thousands of rows). How many."""
    user, actor = who(by)
    name = table_of(table)
    entries = (AuditEntry(at=now, actor=actor, user=user, action=action, table=name,
                          object_key=key, changes={field: [plain(old), plain(new)]
                                                   for field, (old, new) in fields.items()})
               for key, fields in changes)
    written = 0
    while chunk := list(itertools.islice(entries, batch)):
        AuditEntry.objects.bulk_create(chunk)
        written += len(chunk)
    return written
