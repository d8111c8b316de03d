"""The provider feed's fast reading (connectivity/quickrows.py) stages what the generic reading
stages and refuses with the same problems, row by row, and hands it only rows not plainly right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ictmonitor.connectivity.importers import Subscriptions, import_subscriptions
from ictmonitor.core.csvfiles import read_header
from tests.connectivity.test_subscription_import import GOOD, HEADER, feed, schools  # noqa: F401
from tests.core.read_both import read_both

pytestmark = pytest.mark.django_db

PLAIN = (
    *GOOD,
    " telenet ; L4 ; 1001 ; 2 ; managed ; 0 ; 0 ; wifi | firewall ; 2020-01-10 ; ; ",
    "proximus;L4;1002;;managed;1000;1000;vpn;;2021-01-01;2021-01-01",
    "telenet;L5;1001;1;internet-only;50;5;;2020-01-10;;2020-01-10",
    "telenet;L6;1001;1;managed;2147483647;7;|;2019-01-01;2019-01-01;2019-01-01",
    "telenet;L7;1001;1;internet-only;100;20;;٢٠٢٠-٠١-٠١;2020-02-01;",  # digits of another script
)
ODD = (
    "acme;O1;1001;1;internet-only;100;20;;;;",
    "Telenet;O2;1001;1;internet-only;100;20;;;;",
    "telenet;;1001;1;internet-only;100;20;;;;",
    f"telenet;{'x' * 101};1001;1;internet-only;100;20;;;;",
    "telenet;O5\x00;1001;1;internet-only;100;20;;;;",
    "telenet;O6;;1;internet-only;100;20;;;;",
    f"telenet;O7;{'1' * 21};1;internet-only;100;20;;;;",
    f"telenet;O8;1001;{'1' * 21};internet-only;100;20;;;;",
    "telenet;O9;1001;1;fibre;100;20;;;;",
    "telenet;O10;1001;1;Managed;100;20;;;;",
    "telenet;O11;1001;1;internet-only;100.5;20;;;;",
    "telenet;O12;1001;1;internet-only;100;-1;;;;",
    "telenet;O13;1001;1;internet-only;2147483648;20;;;;",
    "telenet;O14;1001;1;internet-only;;20;;;;",
    "telenet;O15;1001;1;managed;100;20;laser;;;",
    "telenet;O16;1001;1;internet-only;100;20;firewall;;;",
    "telenet;O17;1001;1;internet-only;100;20;;2020-03-01;2020-02-01;",
    "telenet;O18;1001;1;internet-only;100;20;;2020-01-01;2020-03-01;2020-02-01",
    "telenet;O19;1001;1;internet-only;100;20;;2020-03-01;;2020-02-01",
    "telenet;O20;1001;1;internet-only;100;20;;2020-02-30;;",
    "telenet;O21;1001;1;internet-only;100;20;;01/02/2020;;",
    "telenet;O22;1001;1;internet-only;100;20",
    "telenet;O23;1001;1;internet-only;100;20;;;;;extra",
    "telenet;O24;1001;1;internet-only;100;20;;;;;",
)
# Plain to the reading, found by the set-based checks: an unknown school or location, a key
# repeated; and a line of another provider than the sender's.
CHECKED = (
    "telenet;C1;9999;1;internet-only;100;20;;;;",
    "telenet;C2;1001;7;internet-only;100;20;;;;",
    "telenet;L1;1002;1;internet-only;100;20;;;;",
)
OTHERS = "proximus;C4;1001;1;internet-only;100;20;;;;"


def _read_both(tmp_path: Path, monkeypatch: Any, rows: tuple[str, ...],
               **kwargs: Any) -> list[tuple[list[tuple], list[str]]]:
    """(staged rows, problems) of the feed read fast, then read by the generic reading."""
    return read_both(Subscriptions, import_subscriptions, feed(tmp_path, *rows), monkeypatch,
                     **kwargs)


def test_a_feed_of_every_kind_of_row_is_staged_and_refused_alike(
        schools: None, tmp_path: Path, monkeypatch: Any, settings: Any) -> None:  # noqa: F811
    settings.IMPORT_PROBLEM_LIMIT = 1000
    quick, generic = _read_both(tmp_path, monkeypatch, (*PLAIN, *ODD, *CHECKED))
    assert quick == generic
    # Every odd row is refused but two the pipeline reads whole: its last cells left out (read
    # as empty), and one empty cell more than the header.
    assert len(quick[1]) == len(ODD) - 2 + len(CHECKED)
    assert len(quick[0]) == len(PLAIN) + 2 + len(CHECKED)


def test_a_providers_feed_is_read_alike(schools: None, tmp_path: Path,  # noqa: F811
                                        monkeypatch: Any) -> None:
    quick, generic = _read_both(tmp_path, monkeypatch, (*PLAIN[:4], OTHERS), provider="telenet")
    assert quick == generic and quick[1]


def test_a_good_feed_is_stored_alike(schools: None, tmp_path: Path,  # noqa: F811
                                     monkeypatch: Any) -> None:
    quick, generic = _read_both(tmp_path, monkeypatch, PLAIN)
    assert quick == generic and not quick[1] and len(quick[0]) == len(PLAIN)


def _reader(columns: str = HEADER) -> tuple[Any, list[int]]:
    """The fast reading of a feed with these columns, and the lines it handed on."""
    handed: list[int] = []

    def generic(line: int, cells: list[str]) -> None:
        handed.append(line)
    header = read_header(columns.split(";"), Subscriptions.columns)
    return Subscriptions().row_reader(header, generic), handed


def test_only_rows_not_plainly_right_go_to_the_generic_reading(schools: None) -> None:  # noqa: F811
    read, handed = _reader()
    for line, text in enumerate((*PLAIN, *CHECKED, OTHERS, *ODD), start=2):
        read(line, text.split(";"))
    first_odd = 2 + len(PLAIN) + len(CHECKED) + 1
    assert handed == list(range(first_odd, first_odd + len(ODD)))


def test_a_feed_without_the_optional_column_is_read_by_the_generic_reading(
        schools: None, tmp_path: Path) -> None:  # noqa: F811
    read, _ = _reader(HEADER.replace("intern_vplnummer;", ""))
    assert read is None
    path = tmp_path / "short.csv"
    path.write_text(HEADER.replace("intern_vplnummer;", "") + "\n"
                    "telenet;S1;1001;internet-only;100;20;;;;\n", encoding="utf-8")
    assert import_subscriptions(path, actor="test").created == 1
