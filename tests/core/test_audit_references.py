"""The audit log shows entries whose references are kept as readable keys, not row ids."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from ictmonitor.core.models import AuditEntry
from ictmonitor.vouchers import services
from tests.vouchers.conftest import make_open_wave, make_schools

pytestmark = pytest.mark.django_db

AUDIT = reverse("core:audit")


def text(response) -> str:
    assert response.status_code == 200, response.content.decode()[:3000]
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_request_audited_with_its_wave_code_is_shown_by_that_code(client_for, tmp_path):
    schools = make_schools(tmp_path)
    wave = make_open_wave()
    services.request_vouchers(wave, 12, by="ines", institution=schools["1001"])
    client = client_for("analyst")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(AUDIT, {"table": "vouchers.request"}))
    assert "wave: — → 2099-now" in page


def test_the_audit_log_opens_on_every_page_when_a_request_is_on_a_later_one(client_for,
                                                                            tmp_path):
    schools = make_schools(tmp_path)
    services.request_vouchers(make_open_wave(), 12, by="ines", institution=schools["1001"])
    later = AuditEntry.objects.latest("at").at + timedelta(minutes=1)
    AuditEntry.objects.bulk_create(
        AuditEntry(at=later, actor="x", action="update", table="registry.institution",
                   object_key="1001", changes={"name": ["A", "B"]})
        for _ in range(120)
    )
    client = client_for("analyst")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "→ 2099-now" not in text(client.get(AUDIT, {"page": 1}))
    assert "wave: — → 2099-now" in text(client.get(AUDIT, {"page": 3}))
