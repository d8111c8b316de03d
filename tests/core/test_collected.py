"""The collected static files: hashed, compressed, cached for good, and what a report page weighs.

Measured here (issue 17): a report page's first visit transfers under 400 KB, its second (every
script and stylesheet cached as immutable) under 100 KB. The figures are printed with `-s`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from ictmonitor.core import collected
from ictmonitor.registry.importers import import_school_list
from tests.registry.flemish_rows import row, write

SOURCE_ROOT = Path(settings.BASE_DIR)
MANIFEST_STORAGE = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
FIRST_VISIT_LIMIT = 400_000
SECOND_VISIT_LIMIT = 100_000


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The static files collected once, as `make install` and `ictmonitor serve` do."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST_STORAGE):
        assert not collected.is_current()
        assert collected.collect_if_needed()
        yield root


@pytest.fixture
def production_static(static_root: Path) -> Iterator[Path]:
    """Settings as in production: the manifest storage over the collected files."""
    with override_settings(STATIC_ROOT=static_root, STORAGES=MANIFEST_STORAGE, DEBUG=False):
        yield static_root


def test_collected_once_then_current_until_a_source_file_changes(production_static):
    assert collected.is_current()
    assert not collected.collect_if_needed()
    manifest = collected.manifest_path()
    older = collected.newest_source_mtime() - 10
    os.utime(manifest, (older, older))
    assert not collected.is_current()  # an upgrade brought newer files


def test_every_static_file_a_template_names_is_in_the_manifest(production_static):
    """A name missing from the manifest would be a server error on that page in production."""
    manifest = (production_static / collected.MANIFEST).read_text()
    named = set()
    for template in SOURCE_ROOT.rglob("templates/**/*.html"):
        named.update(re.findall(r"""{%\s*static\s+['"]([^'"]+)['"]""", template.read_text()))
    assert named, "no template names a static file"
    missing = sorted(name for name in named if f'"{name}"' not in manifest)
    assert not missing, f"not collected: {missing}"


def fetch_assets(client: Client, html: str) -> dict[str, tuple[int, str, str]]:
    """Every script and stylesheet a page names: its bytes on the wire, encoding, caching."""
    sizes = {}
    for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+)"', html):
        response = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content)
        sizes[url] = (len(body), response.get("Content-Encoding", ""),
                      response.get("Cache-Control", ""))
    return sizes


@pytest.mark.django_db
def test_a_report_page_weighs_under_400_kb_first_and_100_kb_after(production_static, tmp_path,
                                                                   client_for):
    write(tmp_path / "schools.csv", [row(schoolnummer=str(n)) for n in range(1, 6)])
    import_school_list(tmp_path / "schools.csv", actor="t")
    analyst = client_for("analyst")
    page = analyst.get(reverse("reports:report", kwargs={"report_id": "schools"}),
                       HTTP_ACCEPT_ENCODING="br, gzip")
    assert page.status_code == 200
    html = page.content.decode()
    assets = fetch_assets(analyst, html)
    assert any("vega.min." in url for url in assets), "the page draws no chart"
    for url, (_size, encoding, cache) in assets.items():
        assert re.search(r"\.[0-9a-f]{12}\.(js|css|svg)$", url), f"{url}: not fingerprinted"
        assert "immutable" in cache and "max-age=315360000" in cache, f"{url}: {cache}"
        if url.endswith((".js", ".css")):
            assert encoding == "br", f"{url}: sent uncompressed"
    first = len(page.content) + sum(size for size, _, _ in assets.values())
    second = len(page.content)  # everything else comes from the browser's cache
    print(f"\nreport page: first visit {first / 1000:.0f} KB "
          f"(HTML {len(page.content) / 1000:.0f} KB, scripts and styles "
          f"{(first - second) / 1000:.0f} KB br), second visit {second / 1000:.0f} KB")
    assert first < FIRST_VISIT_LIMIT
    assert second < SECOND_VISIT_LIMIT
