"""The measurement file's fast reading (quickrows.py, and measured_at read by its hour) stages
what the generic reading stages and refuses with the same problems, row by row."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from ictmonitor.connectivity.models import Offer, Provider, Subscription
from ictmonitor.core.cells import CellError
from ictmonitor.measurements.importers import Measurements, Moments, import_measurements
from tests.core.read_both import read_both
from tests.measurements.conftest import stamp
from tests.measurements.test_import import HEADER, ROWS, write

pytestmark = pytest.mark.django_db

ODD_ROWS = (
    " 054321 ; 1 ; pi-1 ; 2026-03-03T09:15:00+01:00 ; speed ; primary ; 93.5 ; 18 ; ; ; ; ",
    "054321;;pi-1;2026-03-03T09:15:07.250+01:00;ping;primary;;;4.5;0.3;0;1",
    "054321;;pi-1;2026-03-03T10:15:07+05:30;ping;primary;;;;;0;1",
    "054321;;pi-1;2026-03-29T00:59:59Z;ping;primary;;;;;;1",
    "054321;;pi-1;2026-03-29T01:00:00Z;ping;backup;;;;;;0",
    "054321;;pi-1;2026-03-29T03:30:00+02:00;speed;primary;1e3;10;;;100;",
    "054321;2;pi-2;2026-03-03T09:15:00+01:00;failover;backup;;;;;;",
    "054321;2;pi-2;2026-03-03T09:16:00+01:00;speed;backup;7;1.5;;;;",
    "054321;;pi-1;2026-03-03T11:00:00Z;speed;primary;;10;;;;",
    "054321;;pi-1;2026-03-03T11:01:00Z;speed;primary;10;10;;;;1",
    "054321;;pi-1;2026-03-03T11:02:00Z;ping;primary;5;;;;;1",
    "054321;;pi-1;2026-03-03T11:03:00Z;ping;primary;;;;;;",
    "054321;;pi-1;2026-03-03T11:04:00Z;failover;primary;;;3;;;",
    "054321;;pi-1;2026-03-03T11:05:00Z;failover;primary;;;;;;1",
    "054321;;pi-1;2026-03-03T11:06:00Z;Speed;primary;1;1;;;;",
    "054321;;pi-1;2026-03-03T11:07:00Z;speed;4g;1;1;;;;",
    "054321;;pi-1;2026-03-03T11:08:00Z;speed;primary;1,5;1;;;;",
    "054321;;pi-1;2026-03-03T11:09:00Z;speed;primary;nan;inf;-0;;;",
    "054321;;pi-1;2026-03-03T11:10:00Z;speed;primary;-1;1;;;101;",
    "054321;;pi-1;2026-03-03T11:11:00Z;ping;primary;;;;;;yes",
    "054321;;pi-1;2026-03-03T11:12:00Z;ping;primary;;;;;; 1 ",
    "054321;;pi 1;2026-03-03T11:13:00Z;ping;primary;;;;;;1",
    f"054321;;{'p' * 41};2026-03-03T11:14:00Z;ping;primary;;;;;;1",
    "054321;;pi-1;2026-03-03T11:15:00;ping;primary;;;;;;1",
    "054321;;pi-1;2099-03-03T11:16:00Z;ping;primary;;;;;;1",
    "054321;;pi-1;2014-12-31T23:59:59Z;ping;primary;;;;;;1",
    "054321;;pi-1;2026-03-03T11:60:00Z;ping;primary;;;;;;1",
    "054321;;pi-1;2026-03-03 11:17:00Z;ping;primary;;;;;;1",
    "999999;;pi-1;2026-03-03T11:18:00Z;ping;primary;;;;;;1",
    "054321;7;pi-1;2026-03-03T11:19:00Z;ping;primary;;;;;;1",
    "054321;;pi-1;2026-03-03T11:20:00Z;ping;primary;;;;;;1;extra",
    "054321;;pi-1;2026-03-03T11:21:00Z;ping;primary;;;;;;1;",
    "054321;;pi-1;2026-03-03T11:22:00Z;ping",
    "054321;2;pi-3;2026-03-03T11:23:00Z;failover;backup;;;;;;",
)


def _read_both(tmp_path: Path, monkeypatch: Any, rows: tuple[str, ...],
               **kwargs: Any) -> list[tuple[list[tuple], list[str]]]:
    """(staged rows, problems) of the file read fast, then read by the generic reading."""
    return read_both(Measurements, import_measurements, write(tmp_path, *rows), monkeypatch,
                     **kwargs)


def test_a_file_of_every_kind_of_row_is_staged_and_refused_alike(
        tmp_path: Path, monkeypatch: Any, line: Any, locations: Any) -> None:
    Subscription.objects.create(
        provider=Provider.objects.get(code="proximus"), contract_id="P-9", location=locations[1],
        offer=Offer.objects.order_by("position")[0], download_mbps=50, upload_mbps=10,
        modules=0, started_on=date(2026, 3, 3), **stamp())
    quick, generic = _read_both(tmp_path, monkeypatch, (*ROWS, *ODD_ROWS))
    assert quick == generic
    assert len(quick[0]) > 10 and len(quick[1]) > 20  # both kinds of outcome were there


def test_a_providers_file_is_read_alike(tmp_path: Path, monkeypatch: Any, line: Any) -> None:
    quick, generic = _read_both(tmp_path, monkeypatch, (*ROWS, *ODD_ROWS[:8]),
                                provider="telenet")
    assert quick == generic and quick[1]


def test_a_good_file_is_stored_alike(tmp_path: Path, monkeypatch: Any, line: Any) -> None:
    quick, generic = _read_both(tmp_path, monkeypatch, (*ROWS, *ODD_ROWS[:6]))
    assert quick == generic and not quick[1] and len(quick[0]) == 12


def test_a_file_without_the_optional_columns_is_read_by_the_generic_reading(
        tmp_path: Path, line: Any) -> None:
    path = tmp_path / "short.csv"
    path.write_text("schoolnummer;device;measured_at;kind;path;reachable\n"
                    "054321;pi-1;2026-03-02T09:30:00Z;ping;primary;1\n", encoding="utf-8")
    assert import_measurements(path, actor="test").created == 1
    assert HEADER.count(";") == 11


def _moments_around(start: datetime, offsets: list[str]) -> list[str]:
    texts = []
    for minutes in range(0, 4 * 24 * 60, 13):
        moment = start + timedelta(minutes=minutes, seconds=minutes % 60)
        for offset in offsets:
            if offset == "Z":
                texts.append(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
                continue
            sign = 1 if offset[0] == "+" else -1
            zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:])))
            texts.append(moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S") + offset)
    return texts


def _whole(moments: Moments, text: str) -> Any:
    try:
        return moments(text)
    except CellError as error:
        return str(error)


@pytest.mark.parametrize("start", [datetime(2026, 3, 27, tzinfo=UTC),  # summer time begins
                                   datetime(2026, 10, 23, tzinfo=UTC),  # and ends
                                   datetime(2014, 12, 29, tzinfo=UTC)])  # the earliest allowed
def test_a_time_read_by_its_hour_is_read_as_whole(start: datetime) -> None:
    quick, whole = Moments(), Moments()
    whole.quick = lambda value: None  # type: ignore[method-assign]
    whole.latest = quick.latest
    texts = _moments_around(start, ["Z", "+01:00", "+02:00", "-05:00", "+05:30", "+00:00"])
    assert [_whole(quick, t) for t in texts] == [_whole(whole, t) for t in texts]
    assert quick.hours  # the hours were read once each


def test_a_time_near_now_is_read_by_its_hour_only_within_the_hour_allowed() -> None:
    quick, whole = Moments(), Moments()
    whole.quick = lambda value: None  # type: ignore[method-assign]
    whole.latest = quick.latest
    now = datetime.now(UTC)
    texts = [(now + timedelta(minutes=m)).strftime("%Y-%m-%dT%H:%M:%SZ")
             for m in range(-70, 130, 3)]
    assert [_whole(quick, t) for t in texts] == [_whole(whole, t) for t in texts]
