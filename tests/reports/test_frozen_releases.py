"""A release's public figures are frozen when it is published (reports/frozen.py): what is
recorded later — a backdated activation, a corrected pupil count, a school that changed board —
cannot change them, so two downloads of one release never differ by one family."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ictmonitor.core.disclosure.linked import plan_linked
from ictmonitor.registry.importers import import_enrolments
from ictmonitor.reports import protection
from ictmonitor.reports.definitions import Parameters, ReportError
from ictmonitor.reports.engine import get_report, run_report
from ictmonitor.reports.models import ReleaseTable
from ictmonitor.reports.releases import publish_release
from ictmonitor.vouchers.services import create_wave, record_activation
from tests.registry.flemish_rows import row
from tests.reports.test_linked_protection import public, schools
from tests.vouchers.conftest import line, load

pytestmark = pytest.mark.django_db

RELEASE = date(2021, 3, 1)
PUPIL_COUNTS = "schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen"


def spring_wave() -> None:
    create_wave("2020-spring", by="test", providers=["telenet", "proximus"],
                name_nl="Voorjaar 2020", name_en="Spring 2020", opens_on=date(2020, 3, 16),
                closes_on=date(2020, 7, 1), expires_on=date(2020, 8, 31))


def vouchers_at_six_schools(tmp_path) -> None:
    """Six primary schools with 20 to 45 issued codes each, 12 of each school activated, and
    one issued code at school 1014 not activated yet."""
    numbers = [f"{1000 + n}" for n in range(6)] + ["1014"]
    schools(tmp_path, *(row(schoolnummer=n) for n in numbers))
    spring_wave()
    lines, serial = [], 0
    for n, number in enumerate(numbers[:6]):
        for k in range(20 + 5 * n):
            serial += 1
            lines.append(line(code=f"T{serial:05}", requester_id=number, schoolnummer=number,
                              activated_on="2020-04-01" if k < 12 else ""))
    lines.append(line(code="T99999", requester_id="1014", schoolnummer="1014"))
    load(tmp_path, *lines)


def test_a_backdated_activation_recorded_after_a_release_does_not_change_it(tmp_path):
    # The review's attack: release 2021-03-01, `wave,level` (2020-spring, basis) 72 → 73 after
    # school 1014's code was reported activated on 2020-04-02, a day before the release.
    vouchers_at_six_schools(tmp_path)
    publish_release(RELEASE, by="t")
    tables = [public("voucher-summary", by, at=RELEASE)
              for by in [("wave", "level"), ("school",), ()]]
    record_activation("telenet", "T99999", date(2020, 4, 2), by="telenet-feed")
    assert [public("voucher-summary", by, at=RELEASE)
            for by in [("wave", "level"), ("school",), ()]] == tables
    # The analysts see it at once; the next release will count it, protected with this one.
    inside = run_report(get_report("voucher-summary"),
                        Parameters(by=("school",), at=RELEASE, options={}))
    assert next(r for r in inside.rows if r["school"] == "1014")["activated"] == 1


def test_the_public_download_of_a_release_serves_its_frozen_table(tmp_path, client):
    vouchers_at_six_schools(tmp_path)
    publish_release(RELEASE, by="t")
    assert ReleaseTable.objects.filter(report="voucher-summary").count() == 1
    url = reverse("public:download", kwargs={"report_id": "voucher-summary", "fmt": "json"})
    first = client.get(url, {"at": RELEASE.isoformat(), "by": "wave,level"}).json()
    record_activation("telenet", "T99999", date(2020, 4, 2), by="telenet-feed")
    again = client.get(url, {"at": RELEASE.isoformat(), "by": "wave,level"}).json()
    assert first["rows"] == again["rows"] and first["totals"] == again["totals"]
    assert first["rows"][0]["activated"] == 72 and first["rows"][0]["activation_rate"]


def pupil_counts(tmp_path, year: str, counts: dict[str, int]) -> None:
    path = tmp_path / "pupils.csv"
    lines = [f"{number};1;{year};lager;{n}" for number, n in counts.items()]
    path.write_text("\n".join([PUPIL_COUNTS, *lines]) + "\n", encoding="utf-8")
    import_enrolments(path, actor="t")


def test_a_school_year_is_published_once_and_corrections_wait(tmp_path):
    schools(tmp_path, *(row(schoolnummer=f"{2000 + n}") for n in range(4)))
    pupil_counts(tmp_path, "2023-2024", {f"{2000 + n}": 100 + n for n in range(4)})
    publish_release(date(2023, 10, 1), by="t")
    assert public("pupils", ())[()] == 406
    # A corrected count and a new school year, both recorded after the release.
    pupil_counts(tmp_path, "2023-2024", {"2000": 101})
    pupil_counts(tmp_path, "2024-2025", {f"{2000 + n}": 200 for n in range(4)})
    assert public("pupils", ()) == {(): 406}  # the latest published year, as published
    assert public("pupils", ("year",))[("2023-2024",)] == 406
    with pytest.raises(ReportError, match="2024-2025 has not been published"):
        run_report(get_report("pupils"), Parameters(public=True, year=2024))
    publish_release(date(2024, 10, 1), by="t")
    assert public("pupils", ())[()] == 800
    assert public("pupils", (), year=2023)[()] == 406  # not 407: published once
    # An analyst sees the data as it stands.
    inside = run_report(get_report("pupils"), Parameters(year=2023))
    assert inside.totals["pupils"] == 407


def test_a_school_that_changes_board_after_a_release_stays_where_it_was(tmp_path):
    schools(tmp_path, *(row(schoolnummer=f"{3000 + n}", bestuur="7") for n in range(3)),
            *(row(schoolnummer=f"{3100 + n}", bestuur="8") for n in range(3)))
    pupil_counts(tmp_path, "2023-2024", {**{f"{3000 + n}": 50 for n in range(3)},
                                         **{f"{3100 + n}": 60 for n in range(3)}})
    publish_release(date(2023, 10, 1), by="t")
    before = public("pupils", ("board",))
    schools(tmp_path, row(schoolnummer="3000", bestuur="8"),
            *(row(schoolnummer=f"{3000 + n}", bestuur="7") for n in range(1, 3)),
            *(row(schoolnummer=f"{3100 + n}", bestuur="8") for n in range(3)))
    assert public("pupils", ("board",)) == before == {("7",): 150, ("8",): 180, (): 330}


def test_the_public_pupils_page_waits_for_the_first_release(tmp_path, client):
    schools(tmp_path, row(schoolnummer="4000"))
    pupil_counts(tmp_path, "2023-2024", {"4000": 300})
    url = reverse("public:report", kwargs={"report_id": "pupils"})
    assert client.get(url).status_code == 400
    publish_release(date(2023, 10, 1), by="t")
    assert client.get(url).status_code == 200



def test_a_school_that_moves_between_releases_stays_where_it_was_released(tmp_path):
    # School 1003 (35 codes) moves from Antwerp to Limburg after the first release: counted
    # in Limburg, its Antwerp cells would fall to 0, and the plan rests on counts only growing.
    vouchers_at_six_schools(tmp_path)
    publish_release(date(2021, 3, 1), by="t")
    schools(tmp_path, *(row(schoolnummer=f"{1000 + n}") for n in range(3)),
            row(schoolnummer="1003", niscode="71072", postcode="3500", provinciecode="7",
                provincie="Limburg"),
            *(row(schoolnummer=f"{1000 + n}") for n in range(4, 6)), row(schoolnummer="1014"))
    publish_release(date(2021, 4, 1), by="t")
    assert public("voucher-summary", ("province",), at=date(2021, 4, 1)) == {
        ("antwerpen",): 196, (): 196}
    funnel = run_report(get_report("voucher-funnel"),  # planned alike, so it stays put too
                        Parameters(by=("province",), at=date(2021, 4, 1), public=True))
    assert [(r["province"], r["issued"]) for r in funnel.rows] == [("antwerpen", 196)]
    inside = run_report(get_report("voucher-summary"),
                        Parameters(by=("province",), at=date(2021, 4, 1)))
    assert {r["province"]: r["requested"] for r in inside.rows} == {
        "antwerpen": 161, "limburg": 35}


def test_a_count_that_falls_between_releases_hides_the_measure_instead_of_failing(
        tmp_path, client, monkeypatch):
    with pytest.raises(ValueError, match="fell"):  # a finest cell gone is a fall too
        plan_linked(("school",), [{("1",): 12, ("2",): 3}, {("1",): 12}], ("school",))
    vouchers_at_six_schools(tmp_path)
    publish_release(date(2021, 3, 1), by="t")
    monkeypatch.setattr(protection, "plan_linked", _fell)
    by_school = public("voucher-summary", ("school",), at=date(2021, 3, 1))
    assert by_school and all(value == "x" for value in by_school.values())
    url = reverse("public:report", kwargs={"report_id": "voucher-summary"})
    assert client.get(url, {"at": "2021-03-01", "by": "school"}).status_code == 200


def _fell(*args, **kwargs):
    raise ValueError("a count fell between releases; counts may only grow")


def test_a_releases_plan_is_kept_across_writes_and_a_preview_is_not(tmp_path, monkeypatch):
    vouchers_at_six_schools(tmp_path)
    publish_release(RELEASE, by="t")
    made = []
    real = protection._plan
    monkeypatch.setattr(protection, "_plan", lambda *a: made.append(1) or real(*a))
    public("voucher-summary", ("school",), at=RELEASE)
    record_activation("telenet", "T99999", date(2020, 4, 2), by="telenet-feed")  # a write
    public("voucher-summary", ("school",), at=RELEASE)
    assert len(made) == 1  # the release's frozen tables did not change: the plan is kept
    preview = date(2021, 4, 1)  # not a release: current data, planned again after a write
    public("voucher-summary", ("school",), at=preview)
    record_activation("telenet", "T00013", date(2020, 4, 3), by="telenet-feed")
    public("voucher-summary", ("school",), at=preview)
    assert len(made) == 3
