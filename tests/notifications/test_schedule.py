"""The daily run on the worker: queued for the next digest hour, once, each run queuing the
next."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from ictmonitor.notifications import tasks

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_the_next_run_is_the_next_digest_hour():
    before = datetime(2026, 3, 2, 5, 59, tzinfo=BRUSSELS)
    after = datetime(2026, 3, 2, 6, 0, tzinfo=BRUSSELS)
    assert tasks.next_run(before) == datetime(2026, 3, 2, 6, 0, tzinfo=BRUSSELS)
    assert tasks.next_run(after) == datetime(2026, 3, 3, 6, 0, tzinfo=BRUSSELS)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}


def test_schedule_queues_the_daily_run_once(database_tasks):
    out = StringIO()
    call_command("notify", schedule=True, stdout=out)
    call_command("notify", schedule=True, stdout=out)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "ictmonitor.notifications.tasks.daily"
    assert queued.run_after.astimezone(BRUSSELS).hour == tasks.DIGEST_HOUR
    assert out.getvalue().splitlines()[1] == "the daily run was queued already"


def test_a_daily_run_queues_the_next(database_tasks):
    assert tasks.daily.call().endswith("0 e-mails")
    assert DBTaskResult.objects.count() == 1
