"""Modules that help, not close (issue 14, item 8): a plan suggests a connectivity module only
on a technical question, never one the school already has on an active line, and where the
school's lines are all internet-only it says the managed offer is needed first."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from ictmonitor.assessment import module_advice, presentation
from ictmonitor.connectivity.models import Module, Subscription
from tests.assessment.test_support import current, every, import_schools, submitted, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(tmp_path):
    return import_schools(tmp_path, [("7001", "limburg", "basis")])["7001"]


def line(school, offer, *modules, ended=None):
    now = timezone.now()
    return Subscription.objects.create(
        provider_id="telenet", contract_id=f"C-{offer}-{'-'.join(modules)}",
        location=school.locations.first(), offer_id=offer, download_mbps=300, upload_mbps=30,
        modules=sum(Module.objects.get(code=code).bit for code in modules),
        started_on=date(2024, 1, 1), ended_on=ended, created_at=now, updated_at=now,
        changed_by="test")


def rows(school, user):
    outcome = submitted(school, user, every(current(), 1))
    return {row["action"].question: row for row in
            presentation.plan_rows(outcome.assessment, "en")}


def test_a_module_the_school_has_is_not_suggested_and_process_questions_get_none(
        school, user_factory):
    user = user_factory("coordinator", institutions=[school])
    line(school, "managed", "firewall")
    line(school, "managed", "web-protection", ended=date(2024, 6, 1))  # no longer active
    found = rows(school, user)
    assert found["infra-firewall-present"]["modules"] == []  # has it already
    assert [m["code"] for m in found["infra-web-filtering"]["modules"]] == ["web-protection"]
    assert not any(row["managed_first"] for row in found.values())
    for code, row in found.items():
        if current().question(code).kind == "process":
            assert row["modules"] == [], code


def test_an_internet_only_line_says_the_managed_offer_comes_first(school, user_factory):
    user = user_factory("coordinator", institutions=[school])
    line(school, "internet-only")
    found = rows(school, user)
    assert found["infra-web-filtering"]["managed_first"] is True
    assert found["policy-incident-handling"]["managed_first"] is False  # no module: no note


def test_an_older_version_without_kinds_takes_the_current_kind():
    old, new = version("1.1"), current()
    process = [q for q in old.questions if q.modules and q.code in {c.code for c in new.questions}
               and new.question(q.code).kind == "process"]
    assert {q.code for q in process} >= {"infra-restore-tests", "practice-phishing-awareness"}
    situation = module_advice.LineSituation(frozenset(), frozenset())
    for question in process:
        assert module_advice.helpful_modules(question, new, situation) == []
    technical = next(q for q in new.questions if q.modules)
    assert module_advice.helpful_modules(technical, new, situation) == list(technical.modules)
