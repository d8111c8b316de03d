"""The three attacks of issue 12, each on a small dataset made for it: none works any more.

1. A board with two small schools: `by=board,school`, `by=board` and `by=school` together.
2. A level's schools, one of them hidden in `by=school,level` but shown in `by=school`.
3. Two adjacent release dates: what changed between them.
Each is checked by the auditor's integer program over every public table (tests/reports/audit.py).
"""

from __future__ import annotations

from datetime import date

import pytest

from ictmonitor.registry.importers import import_enrolments, import_school_list
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report
from ictmonitor.reports.releases import publish_release
from tests.registry.flemish_rows import row, write
from tests.reports.audit import attack
from tests.vouchers.conftest import line, load

pytestmark = pytest.mark.django_db

PUPIL_COUNTS = "schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen"
LIMBURG = {"niscode": "71072", "postcode": "3500", "provinciecode": "7", "provincie": "Limburg"}
SECONDARY = {"onderwijsniveau": "SO",
             "instellingstype": "School voor voltijds gewoon secundair onderwijs"}


def schools(tmp_path, *rows):
    """Import these school rows."""
    write(tmp_path / "schools.csv", list(rows))
    import_school_list(tmp_path / "schools.csv", actor="t")


def pupils(tmp_path, counts):
    """Import pupil counts for 2024-2025: school number -> pupils."""
    path = tmp_path / "pupils.csv"
    lines = [f"{number};1;2024-2025;{level};{n}" for number, (level, n) in counts.items()]
    path.write_text("\n".join([PUPIL_COUNTS, *lines]) + "\n", encoding="utf-8")
    import_enrolments(path, actor="t")


def public(report_id, by, **options):
    """The public table by these dimensions, as {key: value or 'x'} of its first measure."""
    report = get_report(report_id)
    result = run_report(report, Parameters(by=by, public=True, **options))
    code = report.measures[0].code
    shown = {tuple(r[d] for d in by): ("x" if r.get(f"{code}_flag") else r[code])
             for r in result.rows}
    shown[()] = "x" if result.totals.get(f"{code}_flag") else result.totals[code]
    return shown


def test_a_board_with_two_small_schools_gives_neither_away(tmp_path):
    # Board 101227 runs schools 14204 (344 pupils) and 24573 (1 pupil); board 2 runs two more.
    schools(tmp_path,
            row(schoolnummer="14204", bestuur="101227"),
            row(schoolnummer="24573", bestuur="101227", **LIMBURG),
            row(schoolnummer="30001", bestuur="2", **SECONDARY),
            row(schoolnummer="30002", bestuur="2", **SECONDARY))
    pupils(tmp_path, {"14204": ("lager", 344), "24573": ("lager", 1),
                      "30001": ("secundair", 120), "30002": ("secundair", 80)})
    by_school = public("pupils", ("school",))
    by_board = public("pupils", ("board",))
    assert by_school[("24573",)] == "x"
    # The old attack: board total minus the other school's published count.
    assert by_board[("101227",)] == "x" or by_school[("14204",)] == "x"
    assert public("pupils", ("board", "school"))[("101227", "14204")] == "x"
    audit = attack(get_report("pupils"), [None], years=[2024])
    assert audit.suppressed and audit.narrowed == []


def test_a_school_is_hidden_in_every_table_or_in_none(tmp_path):
    # Twelve secondary schools in Antwerp and one more in Limburg with a single voucher.
    numbers = [f"{4000 + n}" for n in range(12)]
    schools(tmp_path, *(row(schoolnummer=n, **SECONDARY) for n in numbers),
            row(schoolnummer="25457", **SECONDARY, **LIMBURG))
    from ictmonitor.vouchers.services import create_wave

    create_wave("2020-spring", by="test", providers=["telenet", "proximus"],
                name_nl="Voorjaar 2020", name_en="Spring 2020", opens_on=date(2020, 3, 16),
                closes_on=date(2020, 7, 1), expires_on=date(2020, 8, 31))
    lines, serial = [], 0
    for n, number in enumerate(numbers):
        for _ in range(10 + 7 * n):
            serial += 1
            lines.append(line(code=f"T{serial:05}", requester_id=number, schoolnummer=number))
    lines.append(line(code="T99999", requester_id="25457", schoolnummer="25457"))
    load(tmp_path, *lines)
    at = {"at": date(2021, 3, 1)}
    by_school = public("voucher-summary", ("school",), **at)
    for by in [("school", "level"), ("school", "province"), ("school", "level", "province")]:
        finer = public("voucher-summary", by, **at)
        for key, value in finer.items():
            if key:
                assert (value == "x") == (by_school[key[:1]] == "x"), (by, key)
    assert by_school[("25457",)] == "x"
    level = public("voucher-summary", ("level",), **at)
    published = [v for k, v in by_school.items() if k and v != "x"]
    if level[("secundair",)] != "x":
        assert level[("secundair",)] - sum(published) >= 12  # the hidden ones hold 10 or more
    audit = attack(get_report("voucher-summary"), [date(2021, 3, 1)])
    assert audit.suppressed and audit.narrowed == []


def test_two_adjacent_releases_do_not_give_away_what_changed(tmp_path):
    numbers = [f"{5000 + n}" for n in range(6)]
    schools(tmp_path, *(row(schoolnummer=n) for n in numbers), row(schoolnummer="5821"))
    from ictmonitor.vouchers.services import create_wave

    create_wave("2020-autumn", by="test", providers=["telenet", "proximus"],
                name_nl="Najaar 2020", name_en="Autumn 2020", opens_on=date(2020, 9, 1),
                closes_on=date(2020, 12, 18), expires_on=date(2021, 6, 30))
    lines, serial = [], 0
    for n, number in enumerate(numbers):
        for _ in range(20 + 5 * n):
            serial += 1
            lines.append(line(code=f"A{serial:05}", wave="2020-autumn", requester_id=number,
                              schoolnummer=number, requested_on="2020-10-01",
                              issued_on="2020-10-02", expires_on="2021-06-30"))
    # New on 12 December at school 5821: Proximus 3, Telenet 6.
    for provider, count in [("proximus", 3), ("telenet", 6)]:
        for _ in range(count):
            serial += 1
            lines.append(line(code=f"A{serial:05}", wave="2020-autumn", provider=provider,
                              requester_id="5821", schoolnummer="5821",
                              requested_on="2020-12-12", issued_on="2020-12-12",
                              expires_on="2021-06-30"))
    load(tmp_path, *lines)
    before, after = date(2020, 12, 11), date(2020, 12, 12)
    publish_release(before, by="t")
    publish_release(after, by="t")
    old = public("voucher-summary", ("wave",), at=before)
    new = public("voucher-summary", ("wave",), at=after)
    assert not (old[("2020-autumn",)] != "x" and new[("2020-autumn",)] != "x"), (old, new)
    for by in [("school", "provider"), ("provider",), ()]:
        cells = public("voucher-summary", by, at=after)
        assert all(v == "x" for k, v in cells.items() if "5821" in k or k == ("proximus",))
    audit = attack(get_report("voucher-summary"), [before, after])
    assert audit.suppressed and audit.narrowed == []
