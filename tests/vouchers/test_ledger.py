"""The ledger's writes: requests, allocation, hand-out, problems, activation, extension."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ictmonitor.core.models import AuditEntry
from ictmonitor.vouchers import services
from ictmonitor.vouchers.models import Request, State, Voucher
from ictmonitor.vouchers.services import VoucherError
from tests.vouchers.conftest import line, load

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def test_a_school_asks_for_codes_in_an_open_wave_and_may_change_the_number(
        schools, open_wave, user_factory):
    coordinator = user_factory("coordinator", institutions=[schools["1001"]])
    request = services.request_vouchers(open_wave, 12, by=coordinator,
                                        institution=schools["1001"])
    assert (request.pupils, request.status, request.submitted_by) == (12, "submitted",
                                                                       coordinator)
    again = services.request_vouchers(open_wave, 15, by=coordinator, institution=schools["1001"])
    assert again.pk == request.pk and again.pupils == 15
    entries = AuditEntry.objects.filter(table="vouchers.request").order_by("id")
    assert [(e.action, e.actor) for e in entries] == [("create", coordinator.username),
                                                      ("update", coordinator.username)]
    assert entries[1].changes == {"pupils": [12, 15]}


def pupils_of_1001(tmp_path, school_year, *counts):
    """Pupil counts of school 1001's location 1 in a school year, imported per level."""
    from ictmonitor.registry.importers import import_enrolments

    path = tmp_path / "pupils.csv"
    path.write_text("schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen\n" + "".join(
        f"1001;1;{school_year};{level};{n}\n" for level, n in counts), encoding="utf-8")
    import_enrolments(path, actor="test")


def test_a_school_asks_for_at_most_its_pupils_of_this_school_year(schools, open_wave,
                                                                   tmp_path):
    from ictmonitor.registry.selectors import school_year_of

    this_year = school_year_of(TODAY)
    start = int(this_year[:4])
    pupils_of_1001(tmp_path, this_year, ("kleuter", 135), ("lager", 300))
    pupils_of_1001(tmp_path, f"{start - 1}-{start}", ("lager", 5000))  # last year's: not used
    with pytest.raises(VoucherError, match=f"Deze school telt 435 leerlingen in het schooljaar "
                                           f"{this_year} .*hoogstens 435 leerlingen"):
        services.request_vouchers(open_wave, 5000, by="t", institution=schools["1001"])
    assert not Request.objects.exists()
    request = services.request_vouchers(open_wave, 435, by="t", institution=schools["1001"])
    with pytest.raises(VoucherError, match="hoogstens 435"):  # asking again is capped too
        services.request_vouchers(open_wave, 436, by="t", institution=schools["1001"])
    assert Request.objects.get(pk=request.pk).pupils == 435
    # Without a count of this school year (school 2002), the request is taken as asked.
    assert services.request_vouchers(open_wave, 5000, by="t",
                                     institution=schools["2002"]).pupils == 5000


def test_the_school_year_runs_from_september_to_august():
    from ictmonitor.registry.selectors import school_year_of

    assert school_year_of(date(2026, 8, 31)) == "2025-2026"
    assert school_year_of(date(2026, 9, 1)) == "2026-2027"
    assert school_year_of(date(2027, 1, 15)) == "2026-2027"


def test_a_closed_wave_takes_no_requests(schools, spring):
    with pytest.raises(VoucherError, match="neemt op .* geen aanvragen aan"):
        services.request_vouchers(spring, 5, by="t", institution=schools["1001"])
    request = services.request_vouchers(spring, 5, by="t", institution=schools["1001"],
                                        on=date(2020, 3, 20))
    assert request.wave == spring


def test_the_department_allocates_a_request_across_the_waves_providers(schools, open_wave):
    request = services.request_vouchers(open_wave, 10, by="t", institution=schools["1001"])
    services.allocate(request, {"telenet": 6, "proximus": 4}, by="analyst")
    request.refresh_from_db()
    assert request.status == Request.Status.ALLOCATED
    assert {a.provider_id: a.codes for a in request.allocations.all()} == {
        "telenet": 6, "proximus": 4}
    with pytest.raises(VoucherError, match="tussen 1 en 10"):
        services.allocate(request, {"telenet": 11}, by="analyst")
    from ictmonitor.connectivity.models import Provider

    Provider.objects.create(code="acme", name="Acme")
    with pytest.raises(VoucherError, match="acme doen niet mee"):
        services.allocate(request, {"acme": 1}, by="analyst")
    services.allocate(request, {"telenet": 10, "proximus": 0}, by="analyst")
    assert {a.provider_id: a.codes for a in request.allocations.all()} == {"telenet": 10}


def test_codes_from_a_feed_find_their_request(schools, spring, tmp_path):
    request = services.request_vouchers(spring, 2, by="t", institution=schools["1001"],
                                        on=date(2020, 3, 20))
    run = load(tmp_path, line(), line(code="T-0002"), line(code="T-0003", requester_id="2002",
                                                           schoolnummer="2002"))
    assert run.details["requests_linked"] == 2
    assert set(request.vouchers.values_list("code", flat=True)) == {"T-0001", "T-0002"}
    assert Voucher.objects.get(code="T-0003").request is None


@pytest.fixture
def issued(schools, open_wave, tmp_path):
    """Two codes of school 1001 issued today in the open wave, one activated and used."""
    load(tmp_path, line(wave=open_wave.code, requested_on=days_ago(3), issued_on=days_ago(2),
                        expires_on=""),
         line(code="T-0002", wave=open_wave.code, requested_on=days_ago(40),
              issued_on=days_ago(40), activated_on=days_ago(35), last_used_on=days_ago(10),
              expires_on=(TODAY + timedelta(days=5)).isoformat()))
    return {v.code: v for v in Voucher.objects.all()}


def test_a_school_hands_a_code_out_under_a_pseudonymous_reference_once(issued, schools):
    code = issued["T-0001"]
    with pytest.raises(VoucherError, match="rijksregisternummer"):
        services.hand_out(code.pk, schools["1001"], "85.07.30-033.28", by="t")
    with pytest.raises(VoucherError, match="heeft zo'n code niet"):
        services.hand_out(code.pk, schools["2002"], "3A-07", by="t")
    services.hand_out(code.pk, schools["1001"], "3A-07", by="t")
    code.refresh_from_db()
    assert code.pupil_ref == "3A-07" and code.handed_out_at is not None
    assert code.state(TODAY) == State.HANDED_OUT
    with pytest.raises(VoucherError, match="al overhandigd") as again:
        services.hand_out(code.pk, schools["1001"], "3A-08", by="t")
    assert again.value.reason == "conflict"
    entry = AuditEntry.objects.get(table="vouchers.voucher", object_key="telenet/T-0001")
    assert entry.changes["pupil_ref"] == ["", "3A-07"]


def test_a_hexadecimal_pseudonym_with_nine_digits_in_a_row_is_handed_out(issued, schools):
    from ictmonitor.vouchers.forms import HandOutForm

    code = issued["T-0001"]
    with pytest.raises(VoucherError, match="rijksregisternummer"):
        services.hand_out(code.pk, schools["1001"], "ll-111222333", by="t")  # a valid BSN
    assert not HandOutForm({"voucher": code.pk, "pupil_ref": "ll-111 222 333"}).is_valid()
    assert HandOutForm({"voucher": code.pk, "pupil_ref": "ll-a322741288"}).is_valid()
    services.hand_out(code.pk, schools["1001"], "ll-a322741288", by="t")
    assert Voucher.objects.get(pk=code.pk).pupil_ref == "ll-a322741288"


def test_a_handed_out_reference_survives_a_feed_without_one(issued, schools, open_wave,
                                                              tmp_path):
    code = issued["T-0001"]
    services.hand_out(code.pk, schools["1001"], "3A-07", by="t")
    run = load(tmp_path, line(wave=open_wave.code, requested_on=days_ago(3),
                              issued_on=days_ago(2), expires_on=""), name="again.csv")
    assert run.unchanged == 1
    code.refresh_from_db()
    assert code.pupil_ref == "3A-07"


def test_a_school_notes_why_a_code_was_not_used(issued, schools):
    services.note_problem(issued["T-0001"].pk, schools["1001"], "no-coverage", by="t")
    assert Voucher.objects.get(pk=issued["T-0001"].pk).problem == "no-coverage"
    with pytest.raises(VoucherError, match="werd geactiveerd"):
        services.note_problem(issued["T-0002"].pk, schools["1001"], "pupil-left", by="t")
    with pytest.raises(VoucherError, match="Kies een van de vermelde redenen"):
        services.note_problem(issued["T-0001"].pk, schools["1001"], "moved", by="t")


def test_an_activation_is_recorded_exactly_once(issued):
    services.record_activation("telenet", "T-0001", TODAY, by="telenet")
    assert Voucher.objects.get(code="T-0001").activated_on == TODAY
    with pytest.raises(VoucherError, match="al geactiveerd") as twice:
        services.record_activation("telenet", "T-0001", TODAY, by="telenet")
    assert twice.value.reason == "conflict"
    with pytest.raises(VoucherError) as unknown:
        services.record_activation("proximus", "T-0001", TODAY, by="proximus")
    assert unknown.value.reason == "not-found"


def test_an_extension_is_granted_only_when_the_code_was_used_in_the_last_30_days(
        issued, schools, open_wave):
    used = issued["T-0002"]
    extended = services.extend_voucher(used.pk, by="t", school=schools["1001"])
    assert extended.extended_until == TODAY + timedelta(days=5 + open_wave.extension_days)
    with pytest.raises(VoucherError, match="nooit geactiveerd"):
        services.extend_voucher(issued["T-0001"].pk, by="t")
    Voucher.objects.filter(pk=used.pk).update(last_used_on=TODAY - timedelta(days=31),
                                              extended_until=None)
    with pytest.raises(VoucherError, match="31 dagen geleden; een verlenging vraagt gebruik in "
                                           "de laatste 30 dagen"):
        services.extend_voucher(used.pk, by="t")
    Voucher.objects.filter(pk=used.pk).update(last_used_on=None)
    with pytest.raises(VoucherError, match="nooit gebruikt"):
        services.extend_voucher(used.pk, by="t")
    Voucher.objects.filter(pk=used.pk).update(last_used_on=TODAY - timedelta(days=30),
                                              extended_until=None)
    assert services.extend_voucher(used.pk, by="t").extended_until == extended.extended_until


def test_a_code_is_extended_once_however_often_it_is_asked(issued, schools, open_wave):
    """The wave's rules say how long an extension lasts, not how many: one per code. Ten clicks
    extend it once; the others are told until when it was extended."""
    used = issued["T-0002"]
    until = TODAY + timedelta(days=5 + open_wave.extension_days)
    assert services.extend_voucher(used.pk, by="t", school=schools["1001"]).extended_until \
        == until
    for _ in range(9):
        with pytest.raises(VoucherError, match=f"al verlengd, tot {until.isoformat()}; een "
                                               "code wordt één keer verlengd") as again:
            services.extend_voucher(used.pk, by="t", school=schools["1001"])
        assert again.value.reason == "refused"
    assert Voucher.objects.get(pk=used.pk).extended_until == until
    assert AuditEntry.objects.filter(object_key="telenet/T-0002",
                                     changes__has_key="extended_until").count() == 1
    # A code its provider extended (the feed's extended_until) is not extended again either.
    Voucher.objects.filter(pk=used.pk).update(extended_until=TODAY + timedelta(days=20))
    with pytest.raises(VoucherError, match="al verlengd"):
        services.extend_voucher(used.pk, by="t")


def test_an_expired_code_is_not_extended_even_when_used_recently(issued):
    used = issued["T-0002"]
    Voucher.objects.filter(pk=used.pk).update(expires_on=TODAY - timedelta(days=1),
                                              last_used_on=TODAY - timedelta(days=2))
    with pytest.raises(VoucherError, match=f"verlopen op {(TODAY - timedelta(days=1))}; een "
                                           "verlopen code kan niet verlengd worden"):
        services.extend_voucher(used.pk, by="t")
    assert Voucher.objects.get(pk=used.pk).extended_until is None


def test_a_reason_noted_meanwhile_is_not_overwritten_nor_audited_as_changed(
        issued, schools, monkeypatch):
    from ictmonitor.vouchers.services import codes

    code = issued["T-0001"]
    stale = Voucher.objects.get(pk=code.pk)  # read before another user noted a reason
    services.note_problem(code.pk, schools["1001"], "pupil-left", by="other")
    monkeypatch.setattr(codes, "_of_school", lambda *_args: stale)
    with pytest.raises(VoucherError) as late:
        services.note_problem(code.pk, schools["1001"], "declined", by="late")
    assert late.value.reason == "conflict"
    assert Voucher.objects.get(pk=code.pk).problem == "pupil-left"
    assert not AuditEntry.objects.filter(actor="late").exists()


def test_a_request_made_after_its_codes_arrived_counts_them_and_keeps_them(
        schools, open_wave, tmp_path):
    load(tmp_path, line(wave=open_wave.code, requested_on=days_ago(45), issued_on=days_ago(40),
                        expires_on=""))
    request = services.request_vouchers(open_wave, 3, by="coordinator",
                                        institution=schools["1001"])
    code = Voucher.objects.get()
    assert code.request == request and code.changed_by == "coordinator"
    entry = AuditEntry.objects.get(table="vouchers.request", action="create")
    assert entry.changes["codes"] == [None, 1]
    # The idle code is the school's own: reallocation does not "move" it to the same school.
    assert services.plan_reallocation(open_wave) == []
