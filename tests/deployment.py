"""The settings that ICTMONITOR_* variables produce, and the production values that
docs/operations.md documents: tests apply exactly what the variables change."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

import pytest

import ictmonitor.settings

OPERATIONS = Path(__file__).resolve().parents[1] / "docs" / "operations.md"
# Paths and the database are the test run's own; the variables never touch them here.
KEPT = {"DATABASES", "DATA_DIR", "STATIC_ROOT", "SECRET_KEY"}
UNSET = object()


def documented_production_values() -> dict[str, str]:
    """The ICTMONITOR_* lines of the env file shown under "Behind a TLS proxy"."""
    text = OPERATIONS.read_text()
    section = text.split("## Behind a TLS proxy", 1)[1].split("\n## ", 1)[0]
    values = dict(re.findall(r"^    (ICTMONITOR_[A-Z_]+)=(\S*)$", section, flags=re.M))
    assert values, f"{OPERATIONS}: no production values under 'Behind a TLS proxy'"
    return values


def settings_from(monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]) -> dict[str, Any]:
    """The upper-case names settings.py defines with these variables set (and no others of
    the ones given changed), read by running settings.py afresh."""
    with monkeypatch.context() as patch:
        for name, value in variables.items():
            patch.setenv(name, value)
        found = runpy.run_path(ictmonitor.settings.__file__)
    return {name: value for name, value in found.items() if name.isupper()}


def apply_variables(settings: Any, monkeypatch: pytest.MonkeyPatch,
                    variables: dict[str, str]) -> dict[str, Any]:
    """Set on pytest-django's `settings` every setting these variables change; returns them."""
    before = settings_from(monkeypatch, {})
    after = settings_from(monkeypatch, variables)
    changed = {name: value for name, value in after.items()
               if name not in KEPT and before.get(name, UNSET) != value}
    for name, value in changed.items():
        setattr(settings, name, value)
    return changed
