"""The voucher pages: a school asks, hands out and prints; providers upload; the department
allocates, follows activation up and reallocates."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ictmonitor.vouchers import services
from ictmonitor.vouchers.models import Request, Voucher
from tests.vouchers.conftest import HEADER, line, load

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RECENT = (TODAY - timedelta(days=2)).isoformat()


def pdf_text(data: bytes) -> list[str]:
    """The text of each page of a PDF, as pdftotext reads it."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: install poppler-utils", pytrace=False)
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True)
    return done.stdout.decode().split("\f")[:-1]


@pytest.fixture
def coordinator(client_for, schools):
    return client_for("coordinator", institutions=[schools["1001"]])


@pytest.fixture
def codes(schools, open_wave, tmp_path):
    """Three codes of school 1001 issued two days ago in the open wave."""
    load(tmp_path, *(line(code=f"T-{n}", wave=open_wave.code, requested_on=RECENT,
                          issued_on=RECENT, expires_on="") for n in (1, 2, 3)))
    return {v.code: v for v in Voucher.objects.all()}


def test_a_school_asks_for_codes_for_its_pupils(coordinator, open_wave, schools):
    url = reverse("vouchers:school", args=["1001"])
    page = coordinator.get(url)
    assert page.status_code == 200 and "Ask for codes" in page.content.decode() or \
        "Codes aanvragen" in page.content.decode()
    answer = coordinator.post(url, {"action": "request", "wave": open_wave.code, "pupils": "7"},
                              follow=True)
    assert Request.objects.get(institution=schools["1001"]).pupils == 7
    assert "7" in answer.content.decode()


def test_a_school_hands_out_codes_and_prints_one_letter_per_pupil(coordinator, codes):
    url = reverse("vouchers:school", args=["1001"])
    for code, ref in (("T-1", "3A-07"), ("T-2", "3A-08")):
        coordinator.post(url, {"action": "hand-out", "voucher": codes[code].pk,
                               "pupil_ref": ref})
    refused = coordinator.post(url, {"action": "hand-out", "voucher": codes["T-3"].pk,
                                     "pupil_ref": "85.07.30-033.28"}, follow=True)
    assert "85.07.30" not in Voucher.objects.get(code="T-3").pupil_ref
    assert refused.status_code == 200
    pdf = coordinator.get(reverse("vouchers:letters", args=["1001"]), {"lang": "en"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith('attachment; filename="vouchers-1001-')
    pages = pdf_text(pdf.content)
    assert len(pages) == 2
    assert "T-1" in pages[0] and "3A-07" in pages[0] and "How to activate" in pages[0]
    assert "T-2" in pages[1] and "Telenet" in pages[1]
    dutch = pdf_text(coordinator.get(reverse("vouchers:letters", args=["1001"]),
                                     {"lang": "nl", "voucher": codes["T-2"].pk}).content)
    assert len(dutch) == 1 and "T-2" in dutch[0] and "Gratis internet thuis" in dutch[0]


def test_without_a_handed_out_code_there_is_no_letter_to_print(coordinator, codes):
    page = coordinator.get(reverse("vouchers:letters", args=["1001"]))
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")


def test_another_schools_codes_are_out_of_reach(client_for, schools, codes):
    other = client_for("coordinator", institutions=[schools["2002"]])
    assert other.get(reverse("vouchers:school", args=["1001"])).status_code == 404
    other.post(reverse("vouchers:school", args=["2002"]),
               {"action": "hand-out", "voucher": codes["T-1"].pk, "pupil_ref": "X-1"})
    assert Voucher.objects.get(code="T-1").pupil_ref == ""


def test_a_provider_uploads_its_feed_and_only_its_own_codes(client_for, schools, spring,
                                                           provider, tmp_path):
    telenet = client_for("provider", provider=provider)
    url = reverse("vouchers:upload")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("\n".join([HEADER, line(), line(provider="proximus")]) + "\n")
    with mixed.open("rb") as handle:
        queued = telenet.post(url, {"file": handle})
    page = telenet.get(queued["Location"]).content.decode()  # the job's page; it ran at once
    assert ("mixed.csv:3: kolom provider: &#x27;proximus&#x27; is een andere provider; u mag "
            "enkel codes van &#x27;telenet&#x27; sturen") in page  # in the page's language
    own = tmp_path / "own.csv"
    own.write_text("\n".join([HEADER, line()]) + "\n")
    with own.open("rb") as handle:
        telenet.post(url, {"file": handle})
    assert Voucher.objects.get().changed_by == telenet.user.username
    overview = telenet.get(reverse("vouchers:provider"))
    shown = overview.content.decode()
    assert overview.status_code == 200 and "Voorjaar 2020" in shown  # the wave's name
    assert "2020-spring" not in shown  # not its code (issue 17 item 6)


def test_the_department_allocates_and_sees_the_activation_gap(client_for, schools, open_wave,
                                                              tmp_path):
    analyst = client_for("analyst")
    request = services.request_vouchers(open_wave, 4, by="t", institution=schools["1001"])
    url = f"{reverse('vouchers:allocation')}?wave={open_wave.code}"
    assert analyst.get(url).status_code == 200
    analyst.post(url, {"request": request.pk, "provider_telenet": "3", "provider_proximus": "1"})
    assert {a.provider_id: a.codes for a in request.allocations.all()} == {
        "telenet": 3, "proximus": 1}
    load(tmp_path, line(wave=open_wave.code, activated_on="2020-04-01"),
         line(code="T-2", wave=open_wave.code),
         line(code="T-3", wave=open_wave.code, requester_id="2002", schoolnummer="2002"))
    gap = analyst.get(reverse("vouchers:gap"), {"wave": open_wave.code})
    rows = [r["number"] for r in gap.context["page"]]
    assert rows == ["2002", "1001"]  # lowest activation first
    by_issued = analyst.get(reverse("vouchers:gap"), {"sort": "issued", "desc": "1"})
    assert [r["number"] for r in by_issued.context["page"]] == ["1001", "2002"]
    timing = analyst.get(reverse("vouchers:timing"))
    assert timing.context["rows"] == [{"provider": "telenet", "activated": 1, "median": 7,
                                       "p90": 7}]


def test_the_reallocation_button_moves_idle_codes(client_for, schools, open_wave, tmp_path):
    old = (TODAY - timedelta(days=60)).isoformat()
    services.request_vouchers(open_wave, 1, by="t", institution=schools["2002"])
    load(tmp_path, line(wave=open_wave.code, requested_on=old, issued_on=old, expires_on=""))
    analyst = client_for("analyst")
    url = f"{reverse('vouchers:reallocation')}?wave={open_wave.code}"
    assert analyst.get(url).context["count"] == 1
    analyst.post(url)
    assert Voucher.objects.get().requester_institution == schools["2002"]
    assert analyst.get(url).context["count"] == 0


def test_the_department_creates_a_wave(client_for):
    analyst = client_for("analyst")
    answer = analyst.post(reverse("vouchers:waves"), {
        "code": "2021-spring", "name_nl": "Voorjaar 2021", "name_en": "Spring 2021",
        "opens_on": "2021-03-01", "closes_on": "2021-06-30", "providers": ["telenet"],
        "reallocate_after_days": "30", "extension_days": "90", "extension_use_days": "30"})
    assert answer.status_code == 302
    assert "Voorjaar 2021" in analyst.get(reverse("vouchers:waves")).content.decode()


@pytest.mark.parametrize("chosen", ["²", "٣", "9" * 30, "1e3", " 1"])
def test_an_odd_code_id_in_the_letters_link_is_ignored_not_a_crash(coordinator, codes, chosen):
    services.hand_out(codes["T-1"].pk, codes["T-1"].requester_institution, "3A-07", by="t")
    answer = coordinator.get(reverse("vouchers:letters", args=["1001"]), {"voucher": chosen})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"  # every handed-out code, as unticked


def test_the_department_sees_a_schools_codes_but_not_its_pupil_references(client_for, codes):
    services.hand_out(codes["T-1"].pk, codes["T-1"].requester_institution, "3A-07", by="t")
    page = client_for("analyst").get(reverse("vouchers:school", args=["1001"]))
    html = page.content.decode()
    assert page.status_code == 200 and "T-1" in html and "overhandigd" in html
    assert "3A-07" not in html
    audit = client_for("analyst").get(reverse("core:audit")).content.decode()
    assert "3A-07" not in audit and "(verborgen)" in audit  # it changed; not what it is


NOTES = '<div class="empty messages" role="status">'


def test_a_refusal_is_an_alert_and_a_success_a_status(coordinator, codes):
    url = reverse("vouchers:school", args=["1001"])
    refused = coordinator.post(url, {"action": "hand-out", "voucher": codes["T-1"].pk,
                                     "pupil_ref": "85.07.30-033.28"}, follow=True)
    html = refused.content.decode()
    alert = html[html.index('role="alert"'):]
    assert "rijksregisternummer" in alert[:alert.index("</div>")]
    assert NOTES not in html  # the refusal only, not said twice
    done = coordinator.post(url, {"action": "hand-out", "voucher": codes["T-1"].pk,
                                  "pupil_ref": "3A-07"}, follow=True).content.decode()
    assert 'role="alert"' not in done
    status = done[done.index(NOTES):]  # one live region, a paragraph per message
    assert "<p" in status and "<li" not in status[:status.index("</div>")]
    assert "T-1 werd overhandigd" in status[:status.index("</div>")]


def test_the_wave_forms_providers_are_a_named_group_of_checkboxes(client_for):
    html = client_for("analyst").get(reverse("vouchers:waves")).content.decode()
    assert '<label for="">' not in html  # a label pointing at nothing names nothing
    group = html[html.index("<fieldset"):html.index("</fieldset>")]
    assert "<legend>Providers</legend>" in group and 'name="providers"' in group


def test_an_expired_code_gets_no_letter_and_no_extension_button(coordinator, schools,
                                                                 open_wave, tmp_path):
    long_ago = (TODAY - timedelta(days=3 * 365)).isoformat()
    gone = (TODAY - timedelta(days=2 * 365)).isoformat()
    load(tmp_path,
         line(code="OLD-1", wave=open_wave.code, requested_on=long_ago, issued_on=long_ago,
              expires_on=gone, pupil_ref="3A-01"),
         line(code="OLD-2", wave=open_wave.code, requested_on=long_ago, issued_on=long_ago,
              activated_on=long_ago, last_used_on=long_ago, expires_on=gone,
              pupil_ref="3A-02"),
         line(code="NEW-1", wave=open_wave.code, requested_on=RECENT, issued_on=RECENT,
              activated_on=RECENT, last_used_on=RECENT, expires_on="", pupil_ref="3A-03"))
    found = {v.code: v for v in Voucher.objects.all()}
    html = coordinator.get(reverse("vouchers:school", args=["1001"])).content.decode()
    assert f'name="voucher" value="{found["NEW-1"].pk}"' in html
    for code in ("OLD-1", "OLD-2"):
        assert f'value="{found[code].pk}"' not in html  # neither a letter box nor a button
    assert "Verlenging vragen voor NEW-1" in html and "vragen voor OLD-2" not in html
    letters = reverse("vouchers:letters", args=["1001"])
    for code in ("OLD-1", "OLD-2"):  # ticked by hand in the address: still no letter
        page = coordinator.get(letters, {"voucher": found[code].pk})
        assert page["Content-Type"].startswith("text/html")
        assert "Een verlopen code krijgt geen brief" in page.content.decode()
    pages = pdf_text(coordinator.get(letters, {"voucher": [found["OLD-1"].pk,
                                                           found["NEW-1"].pk]}).content)
    assert len(pages) == 1 and "NEW-1" in pages[0]
    refused = coordinator.post(reverse("vouchers:school", args=["1001"]),
                               {"action": "extend", "voucher": found["OLD-2"].pk}, follow=True)
    assert "een verlopen code kan niet verlengd worden" in refused.content.decode()
    assert Voucher.objects.get(code="OLD-2").extended_until is None


def test_a_request_beyond_the_schools_pupils_is_refused_naming_the_count(coordinator, schools,
                                                                          open_wave, tmp_path):
    from ictmonitor.registry.importers import import_enrolments
    from ictmonitor.registry.selectors import school_year_of

    year = school_year_of(TODAY)
    path = tmp_path / "pupils.csv"
    path.write_text("schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen\n"
                    f"1001;1;{year};lager;435\n", encoding="utf-8")
    url = reverse("vouchers:school", args=["1001"])
    unchecked = coordinator.post(url, {"action": "request", "wave": open_wave.code,
                                       "pupils": "500"}, follow=True).content.decode()
    assert f"geen leerlingenaantal voor het schooljaar {year} bekend" in unchecked
    import_enrolments(path, actor="test")
    refused = coordinator.post(url, {"action": "request", "wave": open_wave.code,
                                     "pupils": "5000"}, follow=True).content.decode()
    assert f"Deze school telt 435 leerlingen in het schooljaar {year}" in refused
    assert Request.objects.get(institution=schools["1001"]).pupils == 500
    done = coordinator.post(url, {"action": "request", "wave": open_wave.code,
                                  "pupils": "435"}, follow=True).content.decode()
    assert "geen leerlingenaantal" not in done
    assert Request.objects.get(institution=schools["1001"]).pupils == 435
