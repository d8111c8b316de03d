"""What can be imported as a job: the kinds the apps registered with core at start-up
(core/importkinds.py: each kind's name on screen, its importer, whether a provider sends it)."""

from __future__ import annotations

from ictmonitor.core.importkinds import KINDS, ImportKind, kind_of

__all__ = ["KINDS", "ImportKind", "kind_of"]
