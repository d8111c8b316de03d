"""The kinds of file ictmonitor imports, registered by the apps that own them.

Core lists no app's files: each app registers its kinds from its `AppConfig.ready()` (the job
kinds a person or a feed uploads, with their importers; the names of its import runs), and the
jobs app registers how a command queues a file in the background. Core's import pages, the
jobs and every `ictmonitor import KIND FILE` read them here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from ictmonitor.core.models import ImportRun


@dataclass(frozen=True)
class ImportKind:
    """One kind of file a job imports. Its importer is named by its dotted path, loaded when a
    file is imported: registering a kind at start-up loads none of the app's modules."""

    code: str
    label: Any
    importer: str | Callable[..., ImportRun]
    provider_feed: bool = False  # a provider sends it, confined to its own rows

    def run(self, path: Any, *, provider: str | None, **arguments: Any) -> ImportRun:
        """Import the file; a provider feed confined to `provider` if given."""
        if self.provider_feed:
            arguments["provider"] = provider or None
        importer = self.importer
        if isinstance(importer, str):
            importer = import_string(importer)
        return importer(path, **arguments)


# Filled at start-up by the apps' AppConfig.ready(), in the order of INSTALLED_APPS.
KINDS: dict[str, ImportKind] = {}
RUN_KINDS: dict[str, Any] = {}  # an ImportRun's kind → its name on screen
RUN_TABLES: dict[str, Any] = {}  # a table an import run's details count → its name on screen
_background: list[str] = []


def register(*kinds: ImportKind) -> None:
    """Make these kinds importable as jobs (an app's ready())."""
    for kind in kinds:
        KINDS[kind.code] = kind


def register_runs(labels: dict[str, Any]) -> None:
    """Name an app's import runs on screen, by their kind (`{"enrolments": _("pupil counts")}`)."""
    RUN_KINDS.update(labels)


def register_tables(labels: dict[str, Any]) -> None:
    """Name the tables an app's import runs count in their details (`{"locations": _(…)}`)."""
    RUN_TABLES.update(labels)


def kind_of(code: str) -> ImportKind:
    """The import kind with this code (KeyError if there is none)."""
    return KINDS[code]


def run_label(kind: str) -> str:
    """What an import run's kind is called on screen (its code if no app named it)."""
    return str(RUN_KINDS.get(kind, kind))


def table_label(table: str) -> str:
    """What a table an import run counts is called on screen (its name if no app named it)."""
    return str(RUN_TABLES.get(table, table))


def register_background(queue: str) -> None:
    """How a command queues a file as a background job, by the function's dotted path (the
    jobs app's ready())."""
    _background[:] = [queue]


def queue_in_background(path: Any, kind: str, **arguments: Any) -> Any:
    """Queue a file as a background job the registered way; the job queued."""
    if not _background:
        raise LookupError("No app queues background jobs here.")
    return import_string(_background[0])(path, kind, **arguments)
