"""The voucher feed's fast reading (vouchers/quickrows.py) stages what the generic reading stages
and refuses with the same problems, row by row, and hands it only rows not plainly right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ictmonitor.core.csvfiles import read_header
from ictmonitor.vouchers.importers import Vouchers, import_vouchers
from tests.core.read_both import read_both
from tests.vouchers.conftest import HEADER, feed, line

pytestmark = pytest.mark.django_db

PLAIN = (
    line(),
    line(code="T-0002", activated_on="2020-04-01", last_used_on="2020-06-30", pupil_ref="3A-07"),
    line(code="T-0003", requested_by="municipality", requester_id="11002", schoolnummer=""),
    line(code="T-0004", requested_by="OCMW", requester_id=" 44021 ", schoolnummer="2002"),
    line(provider="proximus", code="T-0001", requester_id="3003", schoolnummer="3003"),
    line(code=" T-0005 ", requested_on="", issued_on="", expires_on="", wave=" 2021-autumn "),
    line(code="T-0006", activated_on="2020-03-25", extended_until="2020-03-25",
         last_used_on="2020-03-25", expires_on="2020-03-25", pupil_ref="ll-a322741288"),
    line(code="T-0007", requester_id="1001", schoolnummer="1001", issued_on="2020-03-20"),
)
ODD = (
    line(provider="acme", code="O-1"),
    line(code=""),
    line(code="x" * 101),
    line(code="O-4", requested_by="gemeente"),
    line(code="O-5", requester_id=""),
    line(code="O-6", requester_id="1" * 21),
    line(code="O-7", schoolnummer="1" * 21),
    line(code="O-8", wave="spring-2020"),
    line(code="O-9", requested_by="municipality", requester_id="1100"),
    line(code="O-10", requested_by="ocmw", requester_id="1001a"),
    line(code="O-11", requested_on="2020-03-26"),
    line(code="O-12", requested_on=""),
    line(code="O-13", activated_on="2020-03-24"),
    line(code="O-14", issued_on="", activated_on="2020-04-01"),
    line(code="O-15", activated_on="2020-04-01", last_used_on="2020-03-31"),
    line(code="O-16", last_used_on="2020-04-01"),
    line(code="O-17", activated_on="2020-04-01", extended_until="2020-03-31"),
    line(code="O-18", expires_on="2020-03-24"),
    line(code="O-19", requested_on="2020-02-30"),
    line(code="O-20", requested_on="20/03/2020"),
    line(code="O-21", pupil_ref="85.07.30-033.28"),
    line(code="O-22", pupil_ref="x" * 65),
    line(code="O-23") + ";extra",
    line(code="O-24") + ";",
    ";".join(line(code="O-25").split(";")[:-2]),
)
# Plain to the reading, found by the set-based checks: an unknown school or municipality, a
# code repeated; and a code of another provider than the sender's.
CHECKED = (
    line(code="C-1", requester_id="9999"),
    line(code="C-2", requested_by="municipality", requester_id="99999", schoolnummer=""),
    line(code="C-3", schoolnummer="7777"),
    line(code="T-0001"),
)
OTHERS = line(provider="proximus", code="C-5")


def _read_both(tmp_path: Path, monkeypatch: Any, rows: tuple[str, ...],
               **kwargs: Any) -> list[tuple[list[tuple], list[str]]]:
    """(staged rows, problems) of the feed read fast, then read by the generic reading."""
    return read_both(Vouchers, import_vouchers, feed(tmp_path, *rows), monkeypatch, **kwargs)


def test_a_feed_of_every_kind_of_row_is_staged_and_refused_alike(
        schools: Any, tmp_path: Path, monkeypatch: Any, settings: Any) -> None:
    settings.IMPORT_PROBLEM_LIMIT = 1000
    quick, generic = _read_both(tmp_path, monkeypatch, (*PLAIN, *ODD, *CHECKED))
    assert quick == generic
    # Every odd row is refused but two the pipeline reads whole: its last cells left out (read
    # as empty), and one empty cell more than the header.
    assert len({p.split(":")[1] for p in quick[1]}) == len(ODD) - 2 + len(CHECKED)
    assert len(quick[0]) == len(PLAIN) + 2 + len(CHECKED)


def test_a_providers_feed_is_read_alike(schools: Any, tmp_path: Path, monkeypatch: Any) -> None:
    quick, generic = _read_both(tmp_path, monkeypatch, (*PLAIN[:4], OTHERS), provider="telenet")
    assert quick == generic and quick[1]


def test_a_good_feed_is_stored_alike(schools: Any, tmp_path: Path, monkeypatch: Any) -> None:
    quick, generic = _read_both(tmp_path, monkeypatch, PLAIN)
    assert quick == generic and not quick[1] and len(quick[0]) == len(PLAIN)


def test_only_rows_not_plainly_right_go_to_the_generic_reading(schools: Any) -> None:
    handed: list[int] = []

    def generic(line: int, cells: list[str]) -> None:
        handed.append(line)
    header = read_header(HEADER.split(";"), Vouchers.columns)
    read = Vouchers().row_reader(header, generic)
    assert read is not None
    for number, text in enumerate((*PLAIN, *CHECKED, OTHERS, *ODD), start=2):
        read(number, text.split(";"))
    first_odd = 2 + len(PLAIN) + len(CHECKED) + 1
    assert handed == list(range(first_odd, first_odd + len(ODD)))


def test_a_feed_without_an_optional_column_is_read_by_the_generic_reading(
        schools: Any, tmp_path: Path) -> None:
    header = HEADER.removesuffix(";pupil_ref")
    assert Vouchers().row_reader(read_header(header.split(";"), Vouchers.columns),
                                 lambda *args: None) is None
    path = tmp_path / "short.csv"
    path.write_text(header + "\n" + line().removesuffix(";") + "\n", encoding="utf-8")
    assert import_vouchers(path, actor="test").created == 1
