"""The registry's file contracts: school lists (Flanders, DUO) and pupil counts."""

from __future__ import annotations

from pathlib import Path

from ictmonitor.core.csvfiles import detect_delimiter, normalise_header
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Progress, run_import
from ictmonitor.registry.importers.duo import DuoSchools
from ictmonitor.registry.importers.enrolments import Enrolments
from ictmonitor.registry.importers.flanders import FlemishSchools

__all__ = ["import_enrolments", "import_school_list", "school_list_contract"]


def school_list_contract(path: Path) -> FlemishSchools | DuoSchools:
    """The contract whose key columns the file's header carries: the Flemish list or DUO's."""
    with path.open("rb") as raw:
        first = raw.readline(1 << 16).decode("utf-8-sig", errors="replace").splitlines() or [""]
    cells = {normalise_header(c).strip('"') for c in first[0].split(detect_delimiter(first[0]))}
    if {"instellingscode", "brin nummer"} & cells:
        return DuoSchools()
    return FlemishSchools()


def import_school_list(path: Path, *, actor: str, user: object | None = None,
                       progress: Progress | None = None,
                       display_name: str | None = None) -> ImportRun:
    """Import a Flemish or DUO list of school locations, whole or not at all."""
    return run_import(school_list_contract(path), path, actor=actor, user=user,
                      progress=progress, display_name=display_name)


def import_enrolments(path: Path, *, actor: str, user: object | None = None,
                      progress: Progress | None = None,
                      display_name: str | None = None) -> ImportRun:
    """Import pupil counts per location, school year and level, whole or not at all."""
    return run_import(Enrolments(), path, actor=actor, user=user, progress=progress,
                      display_name=display_name)
