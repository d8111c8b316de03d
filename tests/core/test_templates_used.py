"""No dead templates in core and jobs: each is rendered, included or extended by its name."""

from __future__ import annotations

from pathlib import Path

import pytest

import ictmonitor

SOURCE = Path(ictmonitor.__file__).parent


def _sources() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for pattern in ("*.py", "*.html")
                     for path in SOURCE.rglob(pattern))


@pytest.mark.parametrize("app", ["core", "jobs"])
def test_every_template_of_the_app_is_named_somewhere(app):
    sources = _sources()
    folder = SOURCE / app / "templates"
    names = [str(path.relative_to(folder)) for path in folder.rglob("*.html")]
    assert names
    unused = [name for name in names if f'"{name}"' not in sources
              and f"'{name}'" not in sources]
    assert unused == []
