"""The daily run over the demo's data: every source reads real rows without failing, and each
user with something new by e-mail gets one e-mail."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from ictmonitor.notifications.models import Notification
from ictmonitor.notifications.services import run_daily

pytestmark = pytest.mark.django_db


def test_the_daily_run_over_the_demo(tmp_path):
    call_command("demo", scale=0.01, no_serve=True, output=tmp_path, stdout=StringIO(),
                 stderr=StringIO())
    result = run_daily()
    assert result.notifications > 0  # the demo's measured lines raise alerts
    told = set(Notification.objects.filter(by_email=True, user__email__gt="")
               .values_list("user_id", flat=True))
    assert result.emails == len(told) == len(mail.outbox)
    assert all(len(message.to) == 1 for message in mail.outbox)
    again = run_daily()
    assert again.emails == 0 and again.notifications == 0
