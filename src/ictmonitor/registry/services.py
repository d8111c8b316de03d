"""Writes to the registry made by hand (the imports write the rest): each audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit_each, stamp, who
from ictmonitor.registry.models import Board


def name_boards(names: Mapping[str, str], *, by: Any) -> int:
    """Give boards (by their number) these names; a school list carries only the number, and
    an import never overwrites a board's name. Boards already so named are left alone. How
    many were renamed, one audit entry each."""
    now = timezone.now()
    _, actor = who(by)
    with transaction.atomic():
        changed = [board for board in Board.objects.select_for_update()
                   .filter(code__in=list(names)).order_by("code")
                   if board.name != names[board.code]]
        changes = [(board.code, {"name": (board.name, names[board.code])}) for board in changed]
        for board in changed:
            board.name = names[board.code]
            for field, value in stamp(actor, now).items():
                setattr(board, field, value)
        Board.objects.bulk_update(changed, ["name", "updated_at", "changed_by", "import_run"],
                                  batch_size=1000)
        audit_each(by, now, AuditEntry.Action.UPDATE, Board, changes)
    return len(changed)
