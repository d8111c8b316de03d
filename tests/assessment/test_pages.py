"""The coordinator's pages: start, answer (autosave and without JavaScript), submit, result,
plan, label, documents, exports; and what the other roles may do there."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from ictmonitor.assessment import selectors
from ictmonitor.assessment.models import Action, Label, PolicyDocument
from tests.assessment.test_support import current, every, import_schools, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(tmp_path):
    return import_schools(tmp_path, [("3001", "oost-vlaanderen", "basis"),
                                     ("3002", "oost-vlaanderen", "basis")])


@pytest.fixture
def school(schools):
    return schools["3001"]


@pytest.fixture
def coordinator(client_for, school):
    return client_for("coordinator", institutions=[school])


def url(name, school, query=""):
    return reverse(f"assessment:{name}", args=[school.number]) + query


def test_a_coordinator_answers_saves_and_submits_through_the_pages(coordinator, school):
    page = coordinator.get(url("overview", school))
    assert page.status_code == 200 and "Start de vragenlijst" in page.content.decode()
    start = coordinator.post(url("overview", school), {"action": "start"})
    assert start.status_code == 302 and start["Location"] == url("answers", school)
    form = coordinator.get(url("answers", school, "?area=policy")).content.decode()
    assert "Is er een benoemde verantwoordelijke" in form or "policy-responsible-person" in form
    # Autosave: JSON with the counts per area.
    saved = coordinator.post(url("answers", school, "?area=policy"),
                             {"area": "policy", "policy-responsible-person": "2",
                              "policy-acceptable-use": ""}, HTTP_X_AUTOSAVE="1")
    fw = current()
    assert saved.status_code == 200
    assert saved.json()["areas"]["policy"] == [1, len(fw.area("policy").questions)]
    assert saved.json()["answered"] == 1
    # Without JavaScript: Save and go to the next area.
    practice = {q.code: "3" for q in fw.area("practice").questions}
    moved = coordinator.post(url("answers", school), {"area": "practice", "next": "submit",
                                                      **practice})
    assert moved["Location"] == url("submit", school)
    review = coordinator.get(url("submit", school)).content.decode()
    left = len(fw.questions) - 1 - len(practice)
    assert f"{left} vragen zijn niet beantwoord" in review
    refused = coordinator.post(url("submit", school), {})
    assert refused.status_code == 200 and selectors.draft_of(school) is not None
    done = coordinator.post(url("submit", school), {"confirm": "on"})
    assessment = selectors.latest_submitted(school)
    assert done["Location"] == url("result", school, f"?id={assessment.pk}")
    result = coordinator.get(done["Location"]).content.decode()
    assert "Resultaat van zelfevaluatie 1" in result
    assert "minder dan 5 andere scholen" in result  # no comparison without 5 other schools


def test_the_result_compares_with_groups_of_at_least_5_other_schools(tmp_path, client_for,
                                                                      user_factory):
    specs = [("4001", "antwerpen", "basis")]
    specs += [(f"41{n:02}", "antwerpen", "basis") for n in range(4)]   # same both
    specs += [(f"42{n:02}", "limburg", "basis") for n in range(1)]     # same level only
    specs += [(f"43{n:02}", "antwerpen", "secundair") for n in range(1)]  # same province
    found = import_schools(tmp_path, specs)
    user = user_factory("coordinator", institutions=list(found.values()))
    fw = current()
    for number, school in found.items():
        submitted(school, user, every(fw, 3 if number == "4001" else 1,
                                      infra_mfa=1, infra_backups=1))
    mine = selectors.latest_submitted(found["4001"])
    groups = {g.group: (g.schools, g.shown) for g in selectors.comparisons(mine)}
    assert groups == {"level": (5, True), "province": (5, True), "all": (6, True)}
    page = client_for(user).get(url("result", found["4001"])).content.decode()
    assert "Zelfde onderwijsniveau" in page and 'id="chart-spec"' in page
    # One school fewer in the province: that comparison is left out.
    Label.objects.all().delete()
    found["4300"].assessments.all().delete()
    groups = {g.group: (g.schools, g.shown) for g in selectors.comparisons(mine)}
    assert groups["province"] == (4, False) and groups["level"] == (5, True)
    level = next(g for g in selectors.comparisons(mine) if g.group == "level")
    assert level.overall == pytest.approx(100 / 3)  # the others answered level 1 throughout
    assert level.areas == pytest.approx({"infrastructure": 100 / 3, "policy": 100 / 3,
                                         "practice": 100 / 3})


def test_the_plan_is_tracked_and_printed(coordinator, school):
    outcome = submitted(school, coordinator.user,
                        every(current(), 2, infra_firewall_present=1))
    page = coordinator.get(url("plan", school)).content.decode()
    assert "Firewall" in page  # the module that helps with the firewall gap
    action = Action.objects.get(assessment=outcome.assessment, question="infra-firewall-present")
    saved = coordinator.post(url("plan", school), {"action": action.pk, "owner": "ICT-coördinator",
                                                   "due_on": "2026-12-31", "status": "doing"})
    assert saved.status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.due_on.isoformat(), action.status) == (
        "ICT-coördinator", "2026-12-31", "doing")
    refused = coordinator.post(url("plan", school), {"action": action.pk, "owner": "leerling",
                                                     "status": "done"}, follow=True)
    assert "nooit" in refused.content.decode()
    for lang in ("nl", "en"):
        pdf = coordinator.get(url("plan_pdf", school, f"?lang={lang}"))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_label_has_a_certificate_and_a_public_page(coordinator, school, client):
    outcome = submitted(school, coordinator.user, every(current(), 2))
    page = coordinator.get(url("label", school)).content.decode()
    verify = reverse("labels:verify", args=[outcome.label.token])
    assert verify in page
    certificate = coordinator.get(url("certificate", school))
    assert certificate.content.startswith(b"%PDF")
    public = client.get(verify)  # no login
    text = public.content.decode()
    assert public.status_code == 200 and "Dit label is geldig." in text
    assert school.name in text and "Brons" in text or "brons" in text
    assert client.get(reverse("labels:verify", args=["not-a-token"])).status_code == 404


def test_an_analyst_revokes_a_label_with_a_reason(coordinator, school, client_for, client):
    outcome = submitted(school, coordinator.user, every(current(), 2))
    target = url("label", school)
    assert coordinator.post(target, {"label": outcome.label.pk, "reason": "x"}).status_code == 403
    analyst = client_for("analyst")
    assert analyst.post(target, {"label": outcome.label.pk, "reason": ""}).status_code == 302
    assert not Label.objects.get().revoked_at  # a reason is required
    analyst.post(target, {"label": outcome.label.pk, "reason": "Gegevens bleken onjuist."})
    label = Label.objects.get()
    assert label.revoked_at and label.revoked_by == analyst.user
    public = client.get(reverse("labels:verify", args=[label.token])).content.decode()
    assert "Dit label werd ingetrokken." in public
    assert selectors.current_label(school) is None


def test_policy_documents_are_versioned(coordinator, school):
    submitted(school, coordinator.user, every(current(), 2, infra_mfa=1))
    for _ in range(2):
        coordinator.post(url("documents", school), {"kind": "acceptable-use"})
    coordinator.post(url("documents", school), {"kind": "incident-handling"})
    numbers = list(PolicyDocument.objects.order_by("kind", "number")
                   .values_list("kind", "number", "actor"))
    name = coordinator.user.username
    assert numbers == [("acceptable-use", 1, name), ("acceptable-use", 2, name),
                       ("incident-handling", 1, name)]
    document = PolicyDocument.objects.get(kind="incident-handling")
    assert "Zet MFA aan" in document.body_nl and "Version 1" in document.body_en
    shown = coordinator.get(url("documents", school, f"?id={document.pk}&lang=en"))
    assert "Incident-handling procedure" in shown.content.decode()
    pdf = coordinator.get(url("document_pdf", school, f"?id={document.pk}&lang=nl"))
    assert pdf.content.startswith(b"%PDF")
    draft = coordinator.get(url("document_pdf", school, "?kind=incident-handling&lang=en"))
    assert draft.content.startswith(b"%PDF")


def test_the_whole_history_downloads_as_json_and_pdf(coordinator, school):
    outcome = submitted(school, coordinator.user, every(current(), 2))
    coordinator.post(url("documents", school), {"kind": "acceptable-use"})
    answer = coordinator.get(url("export_json", school))
    assert "attachment" in answer["Content-Disposition"]
    data = json.loads(answer.content)
    assert data["school"]["number"] == school.number
    assert data["assessments"][0]["answers"][0]["level"] == 2
    assert len(data["assessments"][0]["plan"]) == len(current().questions)
    assert data["labels"][0]["verification_url"].endswith(f"/labels/{outcome.label.token}/")
    assert data["documents"][0]["number"] == 1
    assert coordinator.get(url("export_pdf", school)).content.startswith(b"%PDF")


def test_a_board_reads_but_does_not_answer(client_for, school):
    board = client_for("board", boards=[school.board])
    assert board.get(url("overview", school)).status_code == 200
    assert board.post(url("overview", school), {"action": "start"}).status_code == 403
    assert board.post(url("answers", school), {"area": "policy"}).status_code == 403


def test_the_new_version_page_moves_a_1_0_label_holder_on(coordinator, school, monkeypatch):
    from tests.assessment.test_support import version

    monkeypatch.setattr(selectors, "current_framework", lambda: version("1.1"))  # before 2.0
    submitted(school, coordinator.user, every(version("1.0"), 2), fw=version("1.0"))
    overview = coordinator.get(url("overview", school)).content.decode()
    assert "Versie 1.1 van de vragenlijst is er" in overview
    page = coordinator.get(url("new_version", school)).content.decode()
    assert "practice-sextortion" in page
    news = selectors.announcement(school)
    first, *rest = [q.code for q in news.questions]
    missed = coordinator.post(url("new_version", school), {code: "2" for code in rest})
    text = missed.content.decode()  # the missed question is named at the top and tied to it
    assert missed.status_code == 200 and selectors.latest_submitted(school).version == "1.0"
    assert 'class="error-summary" role="alert"' in text and f'href="#q-{first}"' in text
    assert f'aria-describedby="error-{first}"' in text and f'id="error-{first}"' in text
    answers = {q.code: "2" for q in news.questions}
    moved = coordinator.post(url("new_version", school), answers)
    assert moved.status_code == 302
    assert selectors.latest_submitted(school).version == "1.1"
    assert "Versie 1.1 van de vragenlijst" not in coordinator.get(
        url("overview", school)).content.decode()


def test_fact_sheets_are_public(client):
    listing = client.get(reverse("assessment:factsheet"))
    assert listing.status_code == 200 and "Phishing" in listing.content.decode()
    sheet = client.get(reverse("assessment:factsheet") + "?code=phishing&lang=en")
    assert "<h2>Signs</h2>" in sheet.content.decode()
    assert client.get(reverse("assessment:factsheet") + "?code=nope").status_code == 404


def test_a_second_click_on_submit_shows_the_result_of_the_first(coordinator, school):
    from tests.assessment.test_support import answered

    answered(school, coordinator.user, every(current(), 2))
    first = coordinator.post(url("submit", school), {})
    again = coordinator.post(url("submit", school), {}, follow=True)
    assessment = selectors.latest_submitted(school)
    assert first["Location"] == url("result", school, f"?id={assessment.pk}")
    assert again.redirect_chain == [(url("result", school, f"?id={assessment.pk}"), 302)]
    assert "Deze zelfevaluatie werd al ingediend." in again.content.decode()
    assert Label.objects.count() == 1


def test_the_certificate_carries_a_qr_code_to_the_public_page(coordinator, school,
                                                              monkeypatch):
    import shutil
    import subprocess

    from django.template.loader import render_to_string

    from ictmonitor.assessment import pdf
    from ictmonitor.assessment.views import labels as label_views

    outcome = submitted(school, coordinator.user, every(current(), 2))
    address = "http://testserver" + reverse("labels:verify", args=[outcome.label.token])
    rendered = []
    real = pdf.render_pdf
    monkeypatch.setattr(label_views.pdf, "render_pdf", lambda template, context, lang: (
        rendered.append(context) or real(template, context, lang)))
    data = coordinator.get(url("certificate", school, f"?id={outcome.label.pk}&lang=en")).content
    assert data.startswith(b"%PDF")
    assert rendered[0]["qr"] == pdf.qr_data_uri(address)  # the QR code encodes the address
    assert rendered[0]["qr"].startswith("data:image/svg+xml")
    html = render_to_string("assessment/pdf/certificate.html", rendered[0])
    assert f'class="qr" src="{rendered[0]["qr"]}"' in html
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: install poppler-utils", pytrace=False)
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
    assert address in text.replace("\n", "") and "Bronze" in text


def test_a_carried_over_label_holder_is_told_a_new_assessment_renews_it(coordinator, school,
                                                                        tmp_path):
    from django.utils import timezone

    from ictmonitor.assessment.importers import import_labels

    today = timezone.localdate()
    path = tmp_path / "labels.csv"
    path.write_text(f"schoolnummer;level;awarded_on;valid_until\n{school.number};silver;"
                    f"{today:%Y-%m-%d};\n", encoding="utf-8")
    import_labels(path, actor="test")
    page = " ".join(coordinator.get(url("overview", school)).content.decode().split())
    assert f"Versie {current().version} van de vragenlijst is er" in page
    assert "overgenomen uit een eerder programma" in page
    coordinator.post(url("overview", school), {"action": "start"})
    page = coordinator.get(url("overview", school)).content.decode()
    assert "van de vragenlijst is er" not in page  # an assessment is under way: no banner


def test_a_label_on_the_current_version_needs_no_notice(coordinator, school):
    submitted(school, coordinator.user, every(current(), 3))
    assert selectors.current_label(school) is not None
    assert selectors.renewal_notice(school) is None
    page = coordinator.get(url("overview", school)).content.decode()
    assert "van de vragenlijst is er" not in page
