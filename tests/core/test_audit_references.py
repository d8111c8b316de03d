"""The audit log shows entries whose references are kept as readable keys, not row ids."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from ictmonitor.core import selectors
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


def test_a_reference_by_row_id_is_named_and_a_readable_one_is_shown_as_kept(tmp_path):
    """Imports and the admin keep a reference's row id under its column (`wave_id`); a service
    keeps what a person reads under the field's name (`wave`), even when it looks like an id."""
    make_schools(tmp_path)
    wave = make_open_wave()
    other = services.create_wave("2099-later", by="test", name_nl="Later", name_en="Later")
    by_id = AuditEntry(table="vouchers.voucher", changes={"wave_id": [wave.pk, other.pk]})
    as_kept = AuditEntry(table="vouchers.request", changes={"wave": [None, str(other.pk)],
                                                            "institution": [None, "1001"]})
    described = selectors.describe_changes([by_id, as_kept])
    assert [(c.old, c.new) for c in described[0].change_list] == [("Nu", "Later")]
    assert [(c.old, c.new) for c in described[1].change_list] == [("—", str(other.pk)),
                                                                  ("—", "1001")]


def test_a_reallocated_code_names_the_requests_it_moved_between(tmp_path):
    schools = make_schools(tmp_path)
    wave = make_open_wave()
    first, second = (services.request_vouchers(wave, 5, by="t", institution=schools[number])
                     for number in ("1001", "2002"))
    entry = AuditEntry(table="vouchers.voucher", changes={"request_id": [first.pk, second.pk]})
    change = selectors.describe_changes([entry])[0].change_list[0]
    assert (change.old, change.new) == (str(first), str(second))
    assert str(second) == "2099-now school 2002"
