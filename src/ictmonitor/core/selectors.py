"""Reads for the import pages and the audit log."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ictmonitor.core.importkinds import run_label, table_label
from ictmonitor.core.models import AuditEntry, ImportRun, Recorded


def kind_label(kind: str) -> str:
    """What an import kind is called on screen (as the app that imports it named it)."""
    return run_label(kind)


def data_stamp() -> tuple[Any, ...]:
    """What changes whenever the data does: every write is an import run or an audit entry
    (a cache of figures computed from the data is good while this stays the same)."""
    runs = ImportRun.objects.aggregate(n=Max("pk"), at=Max("finished_at"), c=Count("pk"))
    entries = AuditEntry.objects.aggregate(n=Max("pk"), at=Max("at"))  # both indexed
    return (*runs.values(), *entries.values())


def import_runs() -> QuerySet[ImportRun]:
    """Every import attempt, newest first."""
    return ImportRun.objects.order_by("-started_at", "-id")


def import_run(pk: int) -> ImportRun | None:
    """One import attempt, or None."""
    return ImportRun.objects.filter(pk=pk).first()


def latest_import_run() -> ImportRun | None:
    """The newest import attempt, or None when nothing was ever imported."""
    return import_runs().first()


def run_details(run: ImportRun) -> list[dict[str, Any]]:
    """What an import did to each table it wrote, as rows of a table."""
    return [
        {"table": table_label(name), "created": counts.get("created", 0),
         "updated": counts.get("updated", 0), "unchanged": counts.get("unchanged", 0)}
        for name, counts in (run.details or {}).items()
        if isinstance(counts, dict)
    ]


def recorded_tables() -> list[tuple[str, str]]:
    """The tables whose changes the audit log records, as (label, name) choices."""
    found = [m for m in apps.get_models() if issubclass(m, Recorded)]
    return sorted(((m._meta.label_lower, str(capfirst(m._meta.verbose_name))) for m in found),
                  key=lambda choice: choice[1])


def audit_entries(*, table: str | None = None, key: str | None = None,
                  actor: str | None = None, action: str | None = None,
                  since: datetime.date | None = None, until: datetime.date | None = None,
                  run: int | None = None) -> QuerySet[AuditEntry]:
    """The audit log, newest first, narrowed by the filters given.

    A key also finds the rows beneath it: an institution number finds its locations
    (`NUMBER/LOCATION`) and their pupil counts.
    """
    entries = AuditEntry.objects.select_related("import_run")
    if table:
        entries = entries.filter(table=table)
    if key:
        key = key.strip()
        entries = entries.filter(Q(object_key=key) | Q(object_key__startswith=f"{key}/"))
    if actor:
        entries = entries.filter(actor__icontains=actor.strip())
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(at__gte=_day_start(since))
    if until:
        entries = entries.filter(at__lt=_day_start(until + datetime.timedelta(days=1)))
    if run:
        entries = entries.filter(import_run_id=run)
    return entries.order_by("-at", "-id")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Change:
    """One field of an audit entry, readable: field, old value, new value."""

    field: str
    old: str | None
    new: str


def describe_changes(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Give each entry `change_list`, its changes as readable Change rows, references by name."""
    entries = list(entries)
    names = _referenced_names(entries)
    for entry in entries:
        model = _model(entry.table)
        entry.table_label = (  # type: ignore[attr-defined]
            str(model._meta.verbose_name) if model is not None else entry.table
        )
        rows = []
        for name, value in (entry.changes or {}).items():
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else _name_label(name)
            ids = _holds_ids(field, name)
            if isinstance(value, list) and len(value) == 2:
                rows.append(Change(label, _show(field, value[0], names, ids),
                                   _show(field, value[1], names, ids)))
            else:
                rows.append(Change(label, None, _show(field, value, names, ids)))
        entry.change_list = rows  # type: ignore[attr-defined]
    return entries


def _referenced_names(entries: list[AuditEntry]) -> dict[Any, dict[str, str]]:
    """The names of the rows the entries' foreign keys point to, per related model."""
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for entry in entries:
        model = _model(entry.table)
        for name, value in (entry.changes or {}).items():
            field = _field(model, name)
            if field is not None and _holds_ids(field, name) and isinstance(value, list):
                wanted[field.related_model].update(_row_ids(field.related_model, value))
    return {
        model: {str(pk): str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
        for model, ids in wanted.items()
    }


def _holds_ids(field: Any, name: str) -> bool:
    """Whether a change names row ids: a reference kept under its column (`wave_id`), as the
    imports and the admin keep it. Under the field's own name (`wave`) a service keeps what a
    person reads (a wave's code `2026-winter`, an assessment's cycle), shown as it is."""
    return field is not None and field.many_to_one and name == field.attname


def _row_ids(model: Any, values: list[Any]) -> set[Any]:
    """The values that can be `model`'s row ids (a value that cannot is shown as it is)."""
    ids = set()
    for value in values:
        if value is None or isinstance(value, bool | list | dict):
            continue
        try:
            ids.add(model._meta.pk.to_python(value))
        except ValidationError:
            continue
    return ids


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: Any, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _name_label(name: str) -> str:
    return _("rows") if name == "rows" else name.replace("_", " ")


def _show(field: Any, value: Any, names: dict[Any, dict[str, str]], ids: bool = False) -> str:
    """A stored value as a person reads it; a field its model keeps out of the audit log's view
    (`AUDIT_HIDDEN`, e.g. a pupil's pseudonymous reference) only says that it has a value."""
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if field.name in getattr(field.model, "AUDIT_HIDDEN", ()):
        return _("(hidden)")
    if isinstance(field, models.BooleanField) and value in (0, 1):
        return _("yes") if value else _("no")
    if ids:
        return names.get(field.related_model, {}).get(str(value), str(value))
    if field.many_to_one:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)
