"""The collected static files (`STATIC_ROOT`): whether they are there and as new as the apps'
own, and collecting them when not, so `ictmonitor serve` never starts on a missing or stale
manifest (a page naming a file the manifest lacks would fail; WhiteNoise would warn)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

MANIFEST = "staticfiles.json"  # what ManifestStaticFilesStorage writes last


def manifest_path() -> Path:
    """Where the manifest of the collected files is (or would be)."""
    return Path(settings.STATIC_ROOT) / MANIFEST


def newest_source_mtime() -> float:
    """The latest modification time of any file the finders would collect."""
    newest = 0.0
    for finder in finders.get_finders():
        for path, storage in finder.list(None):
            newest = max(newest, Path(storage.path(path)).stat().st_mtime)
    return newest


def is_current() -> bool:
    """Whether the manifest exists and no source file is newer than it."""
    manifest = manifest_path()
    return manifest.is_file() and manifest.stat().st_mtime >= newest_source_mtime()


def collect_if_needed() -> bool:
    """Collect (hash, compress) the static files unless they are current; True if it did."""
    if is_current():
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    return True
