"""Behind the TLS proxy of docs/operations.md: `check --deploy` is clean with the documented
production values, HTTPS is known from the proxy's header (so redirects do not loop and label
links are https), and the forwarded headers count only when a proxy is configured."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ictmonitor import config
from tests.assessment.test_support import current, every, import_schools, submitted
from tests.deployment import apply_variables, documented_production_values

CHECK = [sys.executable, "-c", "from ictmonitor.cli import main; main()", "check", "--deploy",
         "--fail-level", "WARNING"]
SITE = "monitor.example.org"
# What the documented nginx passes on for a request to https://monitor.example.org/...
THROUGH_PROXY = {"HTTP_HOST": SITE, "HTTP_X_FORWARDED_HOST": SITE,
                 "HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.10"}


def test_check_deploy_reports_nothing_with_the_documented_production_values(tmp_path):
    # A deployment sets neither ours nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE
    # (tests/browser/conftest.py), which the check rightly names as an error.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ICTMONITOR_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= documented_production_values() | {"ICTMONITOR_DATA_DIR": str(tmp_path)}
    done = subprocess.run(CHECK, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout, done.stdout + done.stderr


def test_a_number_setting_that_is_not_a_number_is_named(monkeypatch):
    monkeypatch.setenv("ICTMONITOR_HSTS_SECONDS", "a year")
    with pytest.raises(config.SettingError, match="ICTMONITOR_HSTS_SECONDS: 'a year' is not"):
        config.env_int("HSTS_SECONDS", 0)


def test_every_variable_the_settings_read_is_in_the_operations_table():
    source = Path(config.__file__).parent
    code = "".join((source / name).read_text(encoding="utf-8")
                   for name in ("settings.py", "config.py"))
    read = set(re.findall(r'env(?:_int|_flag)?\(\s*"([A-Z0-9_]+)"', code))
    table = (Path(__file__).parents[1] / "docs" / "operations.md").read_text(encoding="utf-8")
    assert {"IMPORT_MERGE_SLICE_ROWS", "HSTS_SECONDS"} <= read
    assert sorted(name for name in read if f"| `ICTMONITOR_{name}` |" not in table) == []


def test_an_import_setting_that_is_not_a_number_is_named_at_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICTMONITOR_")}
    env |= {"ICTMONITOR_DATA_DIR": str(tmp_path), "ICTMONITOR_IMPORT_MERGE_SLICE_ROWS": "10k"}
    done = subprocess.run([sys.executable, "-c", "import ictmonitor.settings"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "ICTMONITOR_IMPORT_MERGE_SLICE_ROWS: '10k' is not a whole number" in done.stderr


@pytest.fixture
def school(tmp_path: Any) -> Any:
    return import_schools(tmp_path, [("3001", "oost-vlaanderen", "basis")])["3001"]


@pytest.mark.django_db
def test_a_label_link_built_behind_the_proxy_is_https(settings, monkeypatch, client_for,
                                                      school):
    apply_variables(settings, monkeypatch, documented_production_values())
    coordinator = client_for("coordinator", institutions=[school])
    outcome = submitted(school, coordinator.user, every(current(), 2))
    address = f"https://{SITE}" + reverse("labels:verify", args=[outcome.label.token])
    page = coordinator.get(reverse("assessment:label", args=[school.number]), **THROUGH_PROXY)
    assert page.status_code == 200  # no redirect to HTTPS: the request came over HTTPS
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert address in page.content.decode()

    from ictmonitor.assessment import pdf
    from ictmonitor.assessment.views import labels as label_views

    rendered: list[dict[str, Any]] = []
    monkeypatch.setattr(label_views.pdf, "render_pdf",
                        lambda template, context, lang: rendered.append(context) or b"%PDF-")
    certificate = reverse("assessment:certificate", args=[school.number])
    coordinator.get(f"{certificate}?id={outcome.label.pk}", **THROUGH_PROXY)
    assert rendered[0]["address"] == address
    assert rendered[0]["qr"] == pdf.qr_data_uri(address)  # the QR code as well


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(settings, monkeypatch, client):
    apply_variables(settings, monkeypatch, documented_production_values())
    page = client.get(reverse("home"), **(THROUGH_PROXY | {"HTTP_X_FORWARDED_PROTO": "http"}))
    assert page.status_code == 301 and page["Location"] == f"https://{SITE}/"


@pytest.mark.django_db
def test_without_a_proxy_configured_the_forwarded_headers_are_not_trusted(settings, monkeypatch,
                                                                          client):
    values = documented_production_values()
    del values["ICTMONITOR_PROXY_COUNT"]
    changed = apply_variables(settings, monkeypatch, values)
    assert "SECURE_PROXY_SSL_HEADER" not in changed and "USE_X_FORWARDED_HOST" not in changed
    # A client's own X-Forwarded-Proto does not make plain HTTP look secure.
    page = client.get(reverse("home"), **THROUGH_PROXY)
    assert page.status_code == 301 and page["Location"] == f"https://{SITE}/"
