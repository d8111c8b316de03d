"""Importing a provider's voucher feed (contracts/vouchers.md)."""

import pytest

from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.core.problems import ImportRefused
from ictmonitor.vouchers.importers import import_vouchers
from ictmonitor.vouchers.models import State, Voucher, Wave
from tests.vouchers.conftest import feed, line, load

pytestmark = pytest.mark.django_db

GOOD = [
    line(),
    line(code="T-0002", activated_on="2020-04-01", last_used_on="2020-06-30",
         pupil_ref="3A-07"),
    line(code="T-0003", requested_by="municipality", requester_id="11002", schoolnummer=""),
    line(code="T-0004", requested_by="ocmw", requester_id="44021", schoolnummer="2002"),
    line(provider="proximus", code="T-0001", requester_id="3003", schoolnummer="3003"),
]


def test_a_feed_imports_every_code_with_its_requester_and_school(schools, tmp_path):
    run = load(tmp_path, *GOOD)
    assert (run.rows, run.created) == (5, 5)
    voucher = Voucher.objects.get(provider="telenet", code="T-0002")
    assert voucher.requester_institution == schools["1001"] == voucher.unit
    assert voucher.pupil_ref == "3A-07"
    assert voucher.wave.code == "2020-spring"
    by_municipality = Voucher.objects.get(provider="telenet", code="T-0003")
    assert by_municipality.requester_municipality_id == "11002"
    assert by_municipality.school is None and by_municipality.unit is None
    assert Voucher.objects.get(code="T-0004", provider="telenet").unit == schools["2002"]
    assert Voucher.objects.filter(code="T-0001").count() == 2  # unique per provider only


def test_states_follow_from_the_dates(schools, tmp_path):
    from datetime import date

    load(tmp_path, *GOOD, line(code="T-0009", issued_on="", expires_on=""),
         line(code="T-0010", activated_on="2020-04-01", extended_until="2021-06-30"))
    states = {v.code: v.state(date(2020, 6, 1)) for v in Voucher.objects.filter(
        provider="telenet")}
    assert states["T-0001"] == State.ISSUED
    assert states["T-0002"] == State.ACTIVATED
    assert states["T-0009"] == State.REQUESTED
    assert states["T-0010"] == State.EXTENDED
    assert Voucher.objects.get(provider="telenet", code="T-0001").state(
        date(2020, 9, 1)) == State.EXPIRED


def test_reimporting_the_same_feed_changes_nothing(schools, tmp_path):
    load(tmp_path, *GOOD)
    again = load(tmp_path, *GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_a_later_feed_updates_the_codes_and_keeps_their_history(schools, tmp_path):
    load(tmp_path, *GOOD)
    later = [line(activated_on="2020-04-10", last_used_on="2020-05-01"), *GOOD[1:]]
    run = load(tmp_path, *later, name="later.csv")
    assert (run.created, run.updated, run.unchanged) == (0, 1, 4)
    entry = AuditEntry.objects.get(import_run=run, action="update")
    assert entry.object_key == "telenet/T-0001"
    assert entry.changes == {"activated_on": [None, "2020-04-10"],
                             "last_used_on": [None, "2020-05-01"]}


def test_an_unknown_wave_is_added_from_the_feed(schools, tmp_path):
    run = load(tmp_path, line(wave="2021-spring"))
    assert Wave.objects.get(code="2021-spring").changed_by == "test"
    assert run.details["waves_added"] == 1


def test_a_feed_carrying_a_national_number_is_refused_naming_the_line(schools, tmp_path):
    path = feed(tmp_path, GOOD[0], line(code="T-0002", pupil_ref="85.07.30-033.28"),
                line(code="T-0003", pupil_ref="85073003328"),
                line(code="T-0004", pupil_ref="123456782"),
                line(code="T-0005", pupil_ref="x" * 65))
    with pytest.raises(ImportRefused) as refused:
        import_vouchers(path, actor="test")
    lines = refused.value.problems.lines()
    assert lines == [
        "feed.csv:3: column pupil_ref: looks like a Belgian national number (11 digits); a "
        "pupil reference must be pseudonymous, never a name or a national number",
        "feed.csv:4: column pupil_ref: looks like a Belgian national number (11 digits); a "
        "pupil reference must be pseudonymous, never a name or a national number",
        "feed.csv:5: column pupil_ref: looks like a Dutch BSN (9 digits); a pupil reference "
        "must be pseudonymous, never a name or a national number",
        "feed.csv:6: column pupil_ref: is 65 characters long; at most 64 fit",
    ]
    assert not Voucher.objects.exists()
    stored = ImportRun.objects.get(status="refused")
    assert "85073003328" not in str(stored.problems)  # the identifier itself is never kept
    assert "033.28" not in str(stored.problems)


def test_unknown_references_and_dates_out_of_order_refuse_the_file(schools, tmp_path):
    path = feed(
        tmp_path, GOOD[0],
        line(code="T-0002", requester_id="9999"),
        line(code="T-0003", requested_by="municipality", requester_id="99999",
             schoolnummer=""),
        line(code="T-0004", schoolnummer="7777"),
        line(code="T-0005", activated_on="2020-03-24"),
        line(code="T-0006", issued_on="", activated_on="2020-04-01"),
        line(code="T-0007", requested_by="gemeente"),
        line(code="T-0001"),
        line(provider="acme", code="A-1"),
    )
    with pytest.raises(ImportRefused) as refused:
        import_vouchers(path, actor="test")
    assert refused.value.problems.lines() == [  # all in one round (issue 17)
        "feed.csv:3: column requester_id: 9999 is not a known school",
        "feed.csv:4: column requester_id: 99999 is not a known municipality (REFNIS)",
        "feed.csv:5: column schoolnummer: 7777 is not a known school",
        "feed.csv:6: column activated_on: 2020-03-24 is before issued_on 2020-03-25",
        "feed.csv:7: column activated_on: 2020-04-01 is given but issued_on is empty",
        "feed.csv:7: column expires_on: 2020-08-31 is given but issued_on is empty",
        "feed.csv:8: column requested_by: 'gemeente' is not one of school, municipality, ocmw",
        "feed.csv:9: column code: this code is already on line 2",
        "feed.csv:10: column provider: 'acme' is not a known provider",
    ]
    path = feed(tmp_path, *GOOD, line(code="T-0002", requester_id="9999"),
                line(code="T-0003", requested_by="municipality", requester_id="99999",
                     schoolnummer=""),
                line(code="T-0004", schoolnummer="7777"), name="refs.csv")
    with pytest.raises(ImportRefused) as refused:
        import_vouchers(path, actor="test")
    assert refused.value.problems.lines() == [
        "refs.csv:7: column code: this code is already on line 3",
        "refs.csv:7: column requester_id: 9999 is not a known school",
        "refs.csv:8: column code: this code is already on line 4",
        "refs.csv:8: column requester_id: 99999 is not a known municipality (REFNIS)",
        "refs.csv:9: column code: this code is already on line 5",
        "refs.csv:9: column schoolnummer: 7777 is not a known school",
    ]
    assert not Voucher.objects.exists()


def test_a_municipality_merged_away_in_2025_is_still_a_requester(schools, tmp_path):
    from ictmonitor.registry.models import Municipality

    merged = Municipality.objects.filter(successor__isnull=False).first()
    load(tmp_path, line(requested_by="ocmw", requester_id=merged.code, schoolnummer=""))
    assert Voucher.objects.get().requester_municipality == merged


def test_a_provider_may_only_send_its_own_codes(schools, tmp_path):
    with pytest.raises(ImportRefused) as refused:
        load(tmp_path, GOOD[0], GOOD[4], provider="telenet")
    assert refused.value.problems.lines() == [
        "feed.csv:3: column provider: 'proximus' is another provider; you may send only "
        "'telenet' codes"
    ]


def test_pseudonyms_with_digits_that_are_no_national_number_are_imported(schools, tmp_path):
    """Nine digits inside a hexadecimal pseudonym, or digits failing their check, are no
    national number (contracts/vouchers.md); the same digits standing apart and valid are."""
    accepted = ["ll-a322741288", "ll-322741288b", "ll-123456789", "ll-85073003329", "0042"]
    run = load(tmp_path, *(line(code=f"T-{n}", pupil_ref=ref)
                           for n, ref in enumerate(accepted)))
    assert run.created == len(accepted)
    assert sorted(Voucher.objects.values_list("pupil_ref", flat=True)) == sorted(accepted)
    path = feed(tmp_path, line(code="T-9", pupil_ref="ll-111222333"),
                line(code="T-10", pupil_ref="ll-05.01.01-001.13"), name="refused.csv")
    with pytest.raises(ImportRefused) as refused:
        import_vouchers(path, actor="test")
    assert [p.split(";")[0] for p in refused.value.problems.lines()] == [
        "refused.csv:2: column pupil_ref: looks like a Dutch BSN (9 digits)",
        "refused.csv:3: column pupil_ref: looks like a Belgian national number (11 digits)"]
