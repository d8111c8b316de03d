"""The voucher funnel: what was asked, issued, handed out, activated, used and extended; the
reasons a school records; extension on simple request and a wave's wholesale extension."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.registry.models import Municipality
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report
from ictmonitor.reports.releases import publish_release
from ictmonitor.vouchers import services
from ictmonitor.vouchers.models import Problem, Voucher, Wave
from ictmonitor.vouchers.selectors import waves_overview
from ictmonitor.vouchers.services import VoucherError
from tests.vouchers.conftest import line, load

pytestmark = pytest.mark.django_db

FUNNEL = get_report("voucher-funnel")
AT = date(2020, 6, 1)


@pytest.fixture
def ledger(schools, spring, tmp_path):
    """School 1001 asks for 50 codes (30 to Telenet, 15 to Proximus, 5 to no provider yet);
    Antwerp's OCMW for 4 (all Telenet). Telenet issues 20 codes to 1001, Proximus 10, and 3
    to the OCMW; one Telenet code came without any request (school 2002)."""
    spring_day = date(2020, 3, 18)
    school = services.request_vouchers(spring, 50, by="t", institution=schools["1001"],
                                       on=spring_day)
    services.allocate(school, {"telenet": 30, "proximus": 15}, by="t")
    ocmw = services.request_vouchers(spring, 4, by="t", requested_by="ocmw",
                                     municipality=Municipality.objects.get(code="11002"),
                                     on=spring_day)
    services.allocate(ocmw, {"telenet": 4}, by="t")
    lines = []
    for n in range(20):  # 1001's Telenet codes: 12 handed out, 8 of those activated
        activated = n < 8
        lines.append(line(code=f"T{n:03}", activated_on="2020-04-01" if activated else "",
                          last_used_on=("2020-05-20" if n < 5 else "2020-04-10")
                          if activated else "",
                          extended_until="2021-06-30" if n < 3 else "",
                          pupil_ref=f"3A-{n:02}" if n < 12 else ""))
    for n in range(10):  # 1001's Proximus codes: none handed out in the feed, 2 activated
        lines.append(line(provider="proximus", code=f"P{n:03}",
                          activated_on="2020-05-02" if n < 2 else ""))
    for n in range(3):
        lines.append(line(code=f"O{n:03}", requested_by="ocmw", requester_id="11002",
                          schoolnummer=""))
    lines.append(line(code="X000", requester_id="2002", schoolnummer="2002"))
    load(tmp_path, *lines)
    return {v.code: v for v in Voucher.objects.all()}


def funnel(*by, **options):
    options.setdefault("at", AT)
    return run_report(FUNNEL, Parameters(by=by, **options))


def counts(values):
    return {m: values[m] for m in ("requested", "issued", "handed_out", "activated",
                                   "used_last_30_days", "extended")}


def test_the_funnel_by_wave_gives_every_stage_and_its_share_of_the_one_before(ledger):
    result = funnel("wave")
    [row] = result.rows
    # Asked: 50 + 4 by requests, and the one code that came without a request.
    assert counts(row) == {"requested": 55, "issued": 34, "handed_out": 14, "activated": 10,
                           "used_last_30_days": 5, "extended": 3}
    assert row["issued_share"] == pytest.approx(34 / 55)
    assert row["handed_out_share"] == pytest.approx(14 / 34)  # 12 references, 2 activations
    assert row["activated_share"] == pytest.approx(10 / 14)
    assert row["used_share"] == pytest.approx(5 / 10)
    assert row["extended_share"] == pytest.approx(3 / 10)
    assert counts(result.totals) == counts(row)
    # The codes' stages are counted as voucher-summary counts them.
    summary = run_report(get_report("voucher-summary"), Parameters(by=("wave",), at=AT)).rows[0]
    assert {m: summary[m] for m in ("issued", "activated", "extended")} == {
        m: row[m] for m in ("issued", "activated", "extended")}


def test_what_was_asked_is_split_over_the_providers_it_was_allocated_to(ledger):
    rows = {r["provider"]: counts(r) for r in funnel("wave", "provider").rows}
    assert {p: r["requested"] for p, r in rows.items()} == {
        "telenet": 30 + 4 + 1, "proximus": 15, None: 5}
    assert rows[None]["issued"] == 0  # unmet demand: asked, given to no provider
    by_requester = {r["requested_by"]: (r["requested"], r["issued"])
                    for r in funnel("requested_by").rows}
    assert by_requester == {"school": (51, 31), "ocmw": (4, 3)}


def test_the_date_asked_for_counts_what_had_happened_by_then(ledger):
    assert counts(funnel(at=date(2020, 3, 17)).totals) == dict.fromkeys(
        ["requested", "issued", "handed_out", "activated", "used_last_30_days", "extended"], 0)
    early = funnel(at=date(2020, 4, 15)).totals
    # A code's last use is all the feed keeps: on 15 April the three last used on 10 April
    # count; the five last used in May are not known to have been used then.
    assert (early["requested"], early["activated"], early["used_last_30_days"]) == (55, 8, 3)


def test_a_hand_out_recorded_in_the_ledger_counts_from_its_day(ledger, schools):
    Voucher.objects.filter(code="P005").update(expires_on=None)  # still valid today
    services.hand_out(ledger["P005"].pk, schools["1001"], "4B-01", by="t")
    today = timezone.localdate()
    assert funnel(at=today).totals["handed_out"] == 15
    assert funnel(at=today - timedelta(days=1)).totals["handed_out"] == 14


def test_public_figures_suppress_small_counts_and_their_shares(ledger):
    result = funnel("wave", "provider", public=True)
    for values in (*result.rows, result.totals):
        for measure in ("requested", "issued", "handed_out", "activated", "used_last_30_days",
                        "extended"):
            assert values[measure] is None or values[measure] == 0 or values[measure] >= 10
            if values[measure] is None:
                assert values[f"{measure}_flag"] == "c"
        if values["used_last_30_days"] is None or values["activated"] is None:
            assert values["used_share"] is None
    assert result.totals["used_last_30_days"] is None  # 5: small
    assert result.rule


def test_recent_use_that_fell_between_releases_is_hidden_in_every_cell(ledger):
    # On 1 June 2020 five codes were used in the last 30 days; on 1 March 2021 none: the count
    # fell, which the linked plan cannot take, so no cell of it is published from then on.
    for day in (date(2020, 6, 1), date(2021, 3, 1)):
        publish_release(day, by="test")
    later = funnel("wave", public=True, at=date(2021, 3, 1))
    assert later.totals["used_last_30_days"] is None
    assert all(row["used_last_30_days"] is None for row in later.rows)


def test_the_reasons_are_the_programmes_own(ledger, schools):
    assert Problem.values == ["no-longer-needed", "declined", "no-coverage", "pupil-left",
                              "unknown"]
    services.note_problem(ledger["T015"].pk, schools["1001"], "no-coverage", by="t")
    assert Voucher.objects.get(code="T015").get_problem_display() == "geen dekking thuis"


def test_a_wave_extended_on_simple_request_extends_any_activated_code(ledger, schools):
    unused = ledger["P000"]  # activated, never used
    with pytest.raises(VoucherError, match="nooit gebruikt"):
        services.extend_voucher(unused.pk, by="t", on=AT)
    Wave.objects.filter(code="2020-spring").update(extension_on_request=True)
    extended = services.extend_voucher(unused.pk, by="t", school=schools["1001"], on=AT)
    assert extended.extended_until == date(2020, 8, 31) + timedelta(days=90)
    with pytest.raises(VoucherError, match="nooit geactiveerd"):
        services.extend_voucher(ledger["P009"].pk, by="t", on=AT)


def test_the_analyst_extends_a_waves_activated_codes_wholesale(ledger):
    wave = Wave.objects.get(code="2020-spring")
    until = date(2021, 6, 30)
    changed = services.extend_wave(wave, date(2021, 8, 31), by="analyst", on=AT)
    # Ten activated codes, all valid on the day: the three extended to June 2021 too.
    assert changed == 10
    assert set(Voucher.objects.filter(activated_on__isnull=False)
               .values_list("extended_until", flat=True)) == {date(2021, 8, 31)}
    assert not Voucher.objects.filter(activated_on__isnull=True,
                                      extended_until__isnull=False).exists()
    entries = AuditEntry.objects.filter(table="vouchers.voucher", actor="analyst")
    assert entries.count() == 10
    assert entries.get(object_key="telenet/T000").changes == {
        "extended_until": ["2021-06-30", "2021-08-31"]}
    record = AuditEntry.objects.get(table="vouchers.wave", object_key="2020-spring",
                                    changes__has_key="extended_to")
    assert record.changes["extended_to"] == [None, "2021-08-31"]
    assert Wave.objects.get(pk=wave.pk).extended_to == date(2021, 8, 31)
    with pytest.raises(VoucherError, match="al tot 2021-08-31"):
        services.extend_wave(wave, until, by="analyst", on=AT)
    with pytest.raises(VoucherError, match="na vandaag"):
        services.extend_wave(wave, AT, by="analyst", on=AT)


def test_the_command_extends_a_wave_and_names_what_is_wrong(ledger, capsys):
    later = timezone.localdate() + timedelta(days=400)
    with pytest.raises(CommandError, match="no such wave; there are: 2020-spring"):
        call_command("extend_wave", "--wave", "2019", "--until", later.isoformat())
    with pytest.raises(CommandError, match="is not a date"):
        call_command("extend_wave", "--wave", "2020-spring", "--until", "30/06/2021")
    call_command("extend_wave", "--wave", "2020-spring", "--until", later.isoformat())
    # The spring codes expired in August 2020: none is valid today, none is extended.
    assert "2020-spring: 0 activated codes now run to" in capsys.readouterr().out


def test_a_code_costs_its_providers_catalogue_price_a_month(ledger, client_for):
    [spring] = waves_overview()
    # The catalogue in force when the wave opened (cable era): Telenet 15.00, Proximus 17.50.
    assert spring["prices"] == [("proximus", Decimal("17.50")), ("telenet", Decimal("15.00"))]
    assert spring["monthly_cost"] == 8 * Decimal("15.00") + 2 * Decimal("17.50")
    page = client_for("analyst").get(reverse("vouchers:waves")).content.decode()
    assert "€ 155,00" in page and "telenet: € 15,00" in page


def test_the_command_line_shows_the_funnel_by_wave(ledger, capsys):
    call_command("report", "voucher-funnel", "--by", "wave", "--at", "2020-06-01",
                 "--format", "json")
    document = json.loads(capsys.readouterr().out)
    [spring] = document["rows"]
    assert (spring["wave"], spring["requested"], spring["issued"], spring["handed_out"],
            spring["activated"]) == ("2020-spring", 55, 34, 14, 10)
    assert spring["issued_share"] == pytest.approx(34 / 55)
    assert document["measures"][:4] == ["requested", "issued", "handed_out", "activated"]


def test_the_analysts_see_why_codes_were_not_activated(ledger, schools):
    services.note_problems({ledger["T015"].pk: "no-coverage", ledger["T016"].pk: "no-coverage",
                            ledger["P009"].pk: "pupil-left", ledger["T000"].pk: "declined"},
                           by="school")
    report = get_report("voucher-reasons")
    assert not report.public  # counts that can fall between releases: not published
    result = run_report(report, Parameters(by=("reason",), at=AT, language="en"))
    # 24 codes issued and not activated: 12 Telenet, 8 Proximus, 3 OCMW, 1 without request;
    # T000 was activated, so its reason is not noted.
    assert {r["reason"]: r["codes"] for r in result.rows} == {
        "no-coverage": 2, "pupil-left": 1, "not-recorded": 21}
    assert result.totals == {"codes": 24}
    assert result.labels["reason"] == {"no-coverage": "no coverage at home",
                                       "not-recorded": "not recorded",
                                       "pupil-left": "the pupil left the school"}
    assert run_report(report, Parameters(by=("reason",), at=date(2020, 3, 24))).totals == {
        "codes": 0}


def test_the_analyst_extends_a_wave_on_its_page(ledger, client_for):
    Voucher.objects.filter(code__in=["T000", "P000"]).update(expires_on=None, extended_until=None)
    Voucher.objects.filter(code="T005").update(
        expires_on=timezone.localdate() + timedelta(days=10))
    analyst = client_for("analyst")
    url = reverse("vouchers:waves")
    until = (timezone.localdate() + timedelta(days=200)).isoformat()
    refused = analyst.post(url, {"action": "extend", "wave": "2020-spring", "until": "31-08"})
    assert refused.status_code == 200 and refused.context["extend"].errors["until"]
    answer = analyst.post(url, {"action": "extend", "wave": "2020-spring", "until": until})
    assert answer.status_code == 302
    # Only T005 still runs today and ends before the day; T000 and P000 have no end at all.
    assert Voucher.objects.get(code="T005").extended_until.isoformat() == until
    page = analyst.get(url)
    assert f"1 geactiveerde codes van 2020-spring lopen nu tot {until}." in str(
        list(page.context["messages"])[0])
    assert AuditEntry.objects.filter(object_key="telenet/T005", actor=analyst.user.username,
                                     changes__has_key="extended_until").exists()
    assert client_for("coordinator").post(url, {"action": "extend", "wave": "2020-spring",
                                                "until": until}).status_code == 403


def test_the_public_funnel_page_shows_the_stages_and_hides_small_counts(ledger, client):
    publish_release(date(2021, 3, 1), by="test")
    url = reverse("public:report", kwargs={"report_id": "voucher-funnel"})
    answer = client.get(url, {"by": "wave"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Van vouchervraag tot gebruik" in html and "Gebruikt in de laatste 30 dagen" in html
    assert '<td class="num">55</td><td class="num">34</td><td class="num">14</td>' in html
    assert re.search(r'<td class="num suppressed"><abbr[^>]*>x</abbr></td>', html)
