"""No school sees another's answers, plan, label page or documents: not on the pages, not in
the API. A school another user may not see answers 404, as one that does not exist."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ictmonitor.accounts.models import ApiToken
from ictmonitor.assessment.models import PolicyDocument
from ictmonitor.assessment.urls import urlpatterns
from tests.assessment.test_support import current, every, import_schools, submitted

pytestmark = pytest.mark.django_db

SCHOOL_PAGES = [p.name for p in urlpatterns if "<str:number>" in str(p.pattern)]


@pytest.fixture
def schools(tmp_path):
    return import_schools(tmp_path, [("5001", "antwerpen", "basis"),
                                     ("5002", "antwerpen", "basis")])


@pytest.fixture
def mine_and_theirs(schools, client_for):
    ours, theirs = schools["5001"], schools["5002"]
    me = client_for("coordinator", institutions=[ours])
    them = client_for("coordinator", institutions=[theirs])
    outcome = submitted(theirs, them.user, every(current(), 2))
    them.post(reverse("assessment:documents", args=[theirs.number]), {"kind": "acceptable-use"})
    return me, them, ours, theirs, outcome


def test_another_schools_pages_answer_404_to_a_coordinator(mine_and_theirs):
    me, _them, _ours, theirs, outcome = mine_and_theirs
    document = PolicyDocument.objects.get(institution=theirs)
    assert len(SCHOOL_PAGES) == 17
    for name in SCHOOL_PAGES:
        target = reverse(f"assessment:{name}", args=[theirs.number])
        for query in ("", f"?id={outcome.assessment.pk}", f"?id={document.pk}"):
            assert me.get(target + query).status_code == 404, (name, query)
        assert me.post(target, {"action": "start", "kind": "acceptable-use"}).status_code \
            == 404, name


def test_ids_of_another_school_do_not_open_on_ones_own_pages(mine_and_theirs):
    me, _them, ours, theirs, outcome = mine_and_theirs
    document = PolicyDocument.objects.get(institution=theirs)
    own = {"result": outcome.assessment.pk, "plan": outcome.assessment.pk,
           "plan_pdf": outcome.assessment.pk, "certificate": outcome.label.pk,
           "documents": document.pk, "document_pdf": document.pk,
           "document_odt": document.pk, "document_docx": document.pk,
           "evidence": outcome.assessment.pk}
    for name, pk in own.items():
        answer = me.get(reverse(f"assessment:{name}", args=[ours.number]) + f"?id={pk}")
        assert answer.status_code == 404, name
    action = outcome.assessment.actions.first()
    me.post(reverse("assessment:overview", args=[ours.number]), {"action": "start"})
    answer = me.post(reverse("assessment:plan", args=[ours.number]),
                     {"action": action.pk, "owner": "x", "status": "done"})
    action.refresh_from_db()
    assert action.status == "todo" and answer.status_code in (200, 302, 404)


def test_the_api_shows_only_ones_own_school(mine_and_theirs):
    me, _them, ours, theirs, _outcome = mine_and_theirs
    secret = ApiToken.issue(me.user, "test")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    base = f"/api/v1/schools/{theirs.number}"
    for path in ("/assessment", "/plan", "/labels", "/history"):
        assert api.get(base + path).status_code == 404, path
    put = api.put(base + "/assessment/answers", {"answers": {"infra-mfa": 0}},
                  content_type="application/json")
    assert put.status_code == 404
    assert api.post(base + "/assessment/submit", {}, content_type="application/json") \
        .status_code == 404
    assert api.post(base + "/assessment/start").status_code == 404
    # Its own school works.
    assert api.post(f"/api/v1/schools/{ours.number}/assessment/start").status_code == 200
    saved = api.put(f"/api/v1/schools/{ours.number}/assessment/answers",
                    {"answers": {"infra-mfa": 3}}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["changed"] == 1
    assert api.get(f"/api/v1/schools/{ours.number}/assessment").json()["answers"] == {
        "infra-mfa": 3}


def test_the_api_submits_and_reports_the_label(schools, user_factory):
    school = schools["5001"]
    user = user_factory("coordinator", institutions=[school])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'test')[1]}")
    base = f"/api/v1/schools/{school.number}"
    api.post(base + "/assessment/start")
    api.put(base + "/assessment/answers", {"answers": every(current(), 2)},
            content_type="application/json")
    refused = api.put(base + "/assessment/answers", {"answers": {"nope": 1}},
                      content_type="application/json")
    assert refused.status_code == 400
    done = api.post(base + "/assessment/submit", {"confirm_unanswered": False},
                    content_type="application/json")
    assert done.status_code == 200 and done.json()["label"]["level"] == "bronze"
    assert len(api.get(base + "/plan").json()) == len(current().questions)
    assert api.get(base + "/labels").json()[0]["status"] == "valid"
    assert api.post(base + "/assessment/submit", {}, content_type="application/json") \
        .status_code == 409


def test_an_analyst_reads_every_school_but_does_not_answer(mine_and_theirs, client_for):
    _me, _them, _ours, theirs, _outcome = mine_and_theirs
    analyst = client_for("analyst")
    assert analyst.get(reverse("assessment:result", args=[theirs.number])).status_code == 200
    assert analyst.post(reverse("assessment:overview", args=[theirs.number]),
                        {"action": "start"}).status_code == 403
    listing = analyst.get(reverse("assessment:index")).content.decode()
    assert theirs.name in listing


def test_a_coordinator_lists_only_its_own_schools(mine_and_theirs):
    me, _them, ours, theirs, _outcome = mine_and_theirs
    listing = me.get(reverse("assessment:index")).content.decode()
    assert ours.name in listing and theirs.name not in listing
    searched = me.get(reverse("assessment:index") + "?q=5002").content.decode()
    assert theirs.name not in searched


def test_a_provider_reads_no_assessment_of_a_school_its_lines_serve(mine_and_theirs,
                                                                    user_factory):
    from django.utils import timezone

    from ictmonitor.accounts.access import visible_institutions
    from ictmonitor.connectivity.models import Offer, Provider, Subscription

    _me, _them, _ours, theirs, _outcome = mine_and_theirs
    telenet = Provider.objects.get(code="telenet")
    now = timezone.now()
    Subscription.objects.create(
        provider=telenet, contract_id="T-1", location=theirs.locations.first(),
        offer=Offer.objects.first(), download_mbps=100, upload_mbps=10, created_at=now,
        updated_at=now, changed_by="test")
    provider = user_factory("provider", provider=telenet)
    assert theirs in visible_institutions(provider)  # it serves the school...
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(provider, 'test')[1]}")
    base = f"/api/v1/schools/{theirs.number}"
    for path in ("/assessment", "/plan", "/labels", "/history"):  # ...but reads none of this
        answer = api.get(base + path)
        assert answer.status_code == 403, path
        assert "answers" not in answer.json() and "infra-mfa" not in answer.content.decode()
    assert api.post(base + "/assessment/start").status_code == 403
    assert api.put(base + "/assessment/answers", {"answers": {"infra-mfa": 0}},
                   content_type="application/json").status_code == 403


@pytest.mark.parametrize("given", ["²", "١٢", "0", "-1", "1e3", "+1", " 1", "1" * 19])
def test_an_odd_id_in_the_query_string_answers_404(mine_and_theirs, given):
    _me, them, _ours, theirs, _outcome = mine_and_theirs
    for name in ("result", "plan", "plan_pdf", "certificate", "documents", "document_pdf"):
        target = reverse(f"assessment:{name}", args=[theirs.number])
        assert them.get(target, {"id": given}).status_code == 404, name
