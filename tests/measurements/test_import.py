"""Measurement files (contracts/measurements.md): `ictmonitor import measurements FILE`, the
upload page and the feed API, one pipeline; refused whole naming file, line and column; rows
stored already change nothing; rollups follow what the file adds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from ictmonitor.accounts.models import ApiToken
from ictmonitor.connectivity.models import Offer, Provider, Subscription
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.problems import ImportRefused
from ictmonitor.measurements import rollups
from ictmonitor.measurements.importers import import_measurements
from ictmonitor.measurements.models import DailyRollup, Measurement
from tests.measurements.conftest import stamp

pytestmark = pytest.mark.django_db

HEADER = ("schoolnummer;intern_vplnummer;device;measured_at;kind;path;download_mbps;upload_mbps;"
          "latency_ms;jitter_ms;loss_pct;reachable")
ROWS = (
    "054321;;pi-1;2026-03-02T09:15:00+01:00;speed;primary;93.5;18.25;12.1;1.4;;",
    "054321;1;pi-1;2026-03-02T09:30:00Z;ping;primary;;;11;;0;1",
    "054321;1;pi-1;2026-03-02T10:45:00+01:00;ping;primary;;;;;;0",
    "054321;;pi-1;2026-03-02T18:00:00+01:00;failover;backup;;;;;;",
    "054321;;pi-1;2026-03-02T18:40:00+01:00;failover;primary;;;;;;",
    "054321;2;pi-2;2026-03-02T11:00:00+01:00;speed;primary;50;10;;;;",
)


def write(tmp_path: Path, *rows: str, name: str = "metingen.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def refused(path: Path, **kwargs: Any) -> list[str]:
    """The problems of a refused file; nothing of it was imported."""
    before = Measurement.objects.count(), list(DailyRollup.objects.values())
    with pytest.raises(ImportRefused) as caught:
        import_measurements(path, actor="test", **kwargs)
    assert (Measurement.objects.count(), list(DailyRollup.objects.values())) == before
    return caught.value.problems.lines()


def test_a_file_is_imported_with_its_lines_and_rollups(tmp_path: Path, line: Any) -> None:
    run = import_measurements(write(tmp_path, *ROWS), actor="test")
    assert (run.rows, run.created, run.updated, run.unchanged) == (6, 6, 0, 0)
    rows = Measurement.objects.order_by("measured_at")
    assert [(r.kind, r.path, r.location.number, r.line_id, r.device) for r in rows] == [
        ("speed", "primary", "1", line.pk, "pi-1"), ("ping", "primary", "1", line.pk, "pi-1"),
        ("ping", "primary", "1", line.pk, "pi-1"), ("speed", "primary", "2", None, "pi-2"),
        ("failover", "backup", "1", line.pk, "pi-1"),
        ("failover", "primary", "1", line.pk, "pi-1")]
    first = rows[0]
    assert (first.download_mbps, first.upload_mbps, first.latency_ms, first.jitter_ms,
            first.loss_pct, first.reachable, first.import_run_id) == (
        93.5, 18.25, 12.1, 1.4, None, None, run.pk)
    assert [r.reachable for r in rows if r.kind == "ping"] == [True, False]
    on_line = DailyRollup.objects.get(line=line)
    assert (on_line.day, on_line.speed_tests, on_line.speed_tests_school_hours) == (
        date(2026, 3, 2), 1, 1)
    assert on_line.download_school_hours == [93.5] and on_line.upload_school_hours == [18.25]
    assert (on_line.pings, on_line.pings_reachable, on_line.pings_school_hours,
            on_line.pings_reachable_school_hours) == (2, 1, 2, 1)
    assert (on_line.failovers, on_line.returns) == (1, 1)
    without = DailyRollup.objects.get(line=None)
    assert (without.location.number, without.download_school_hours) == ("2", [50.0])
    assert AuditEntry.objects.get(table="measurements.measurement").changes == {"rows": [None, 6]}


def test_the_same_file_again_changes_nothing(tmp_path: Path, line: Any) -> None:
    path = write(tmp_path, *ROWS)
    import_measurements(path, actor="test")
    rollups = list(DailyRollup.objects.order_by("pk").values())
    again = import_measurements(path, actor="test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert Measurement.objects.count() == 6
    assert [{k: v for k, v in r.items() if k != "id"} for r in
            DailyRollup.objects.order_by("pk").values()] == [
        {k: v for k, v in r.items() if k != "id"} for r in rollups]


def test_rows_added_later_the_same_day_add_to_its_rollup(tmp_path: Path, line: Any) -> None:
    import_measurements(write(tmp_path, ROWS[0], ROWS[1]), actor="test")
    # the same instant in another offset is the same measurement: stored once
    same = "054321;1;pi-1;2026-03-02T08:15:00Z;speed;primary;93.5;18.25;12.1;1.4;;"
    later = "054321;1;pi-1;2026-03-02T14:00:00+01:00;speed;primary;40;9;;;;"
    run = import_measurements(write(tmp_path, same, later, ROWS[2]), actor="test")
    assert (run.created, run.unchanged) == (2, 1)
    rollup = DailyRollup.objects.get(line=line)
    assert rollup.speed_tests == 2 and rollup.download_school_hours == [40.0, 93.5]
    assert (rollup.pings, rollup.pings_reachable) == (2, 1)


def test_a_time_without_offset_is_refused_naming_its_line(tmp_path: Path, line: Any) -> None:
    bad = "054321;;pi-1;2026-03-02T09:15:00;speed;primary;93.5;18.25;;;;"
    assert refused(write(tmp_path, ROWS[1], bad)) == [
        "metingen.csv:3: column measured_at: '2026-03-02T09:15:00' has no offset (write it as "
        "2026-03-02T09:15:00+01:00 or …Z)"]


@pytest.mark.parametrize(("row", "column", "message"), [
    ("999999;;pi-1;2026-03-02T09:15:00Z;ping;primary;;;;;;1", "schoolnummer",
     "999999 is not a known school"),
    ("054321;7;pi-1;2026-03-02T09:15:00Z;ping;primary;;;;;;1", "intern_vplnummer",
     "school 054321 has no location 7"),
    ("054321;;pi-1;2099-03-02T09:15:00Z;ping;primary;;;;;;1", "measured_at",
     "'2099-03-02T09:15:00Z' is more than one hour in the future"),
    ("054321;;pi-1;2014-12-31T09:15:00Z;ping;primary;;;;;;1", "measured_at",
     "'2014-12-31T09:15:00Z' is before 2015"),
    ("054321;;pi-1;2026-03-02T09:15:00Z;speed;primary;;10;;;;", "download_mbps",
     "is empty; required for kind speed"),
    ("054321;;pi-1;2026-03-02T09:15:00Z;ping;primary;;;;;;", "reachable",
     "is empty; required for kind ping"),
    ("054321;;pi-1;2026-03-02T09:15:00Z;speed;primary;-3;10;;;;", "download_mbps",
     "'-3' is negative"),
    ("054321;;pi-1;2026-03-02T09:15:00Z;ping;primary;;;;;101;1", "loss_pct",
     "'101' is outside 0–100"),
    ("054321;;pi-1;2026-03-02T09:15:00Z;ping;4g;;;;;;1", "path",
     "'4g' is not primary or backup"),
    ("054321;;pi-1;2026-03-02T09:15:00Z;outage;primary;;;;;;", "kind",
     "'outage' is not speed or ping or failover"),
    ("054321;;pi-1;2026-03-02T09:15:00Z;ping;primary;;;;;;yes", "reachable",
     "'yes' is not 1 or 0"),
    ("054321;;pi 1;2026-03-02T09:15:00Z;ping;primary;;;;;;1", "device",
     "'pi 1' may hold only letters, digits, - and _"),
])
def test_a_row_the_contract_does_not_allow_refuses_the_file(
        tmp_path: Path, line: Any, row: str, column: str, message: str) -> None:
    assert refused(write(tmp_path, ROWS[0], row)) == [
        f"metingen.csv:3: column {column}: {message}"]


def test_backup_on_a_line_without_the_module_is_refused(tmp_path: Path, line: Any,
                                                        locations: Any) -> None:
    plain = Subscription.objects.create(
        provider=Provider.objects.get(code="proximus"), contract_id="P-9", location=locations[1],
        offer=Offer.objects.order_by("position").first(), download_mbps=50, upload_mbps=10,
        modules=0, started_on=date(2025, 1, 1), **stamp())
    assert refused(write(tmp_path, ROWS[3],
                         "054321;2;pi-2;2026-03-02T18:00:00+01:00;failover;backup;;;;;;")) == [
        f"metingen.csv:3: column path: backup, but line {plain.provider_id}/P-9 has no "
        "backup-line module"]


def test_a_sixth_device_at_a_location_is_refused(tmp_path: Path, line: Any) -> None:
    five = [f"054321;;pi-{n};2026-03-02T09:{n:02d}:00Z;ping;primary;;;;;;1" for n in range(1, 6)]
    import_measurements(write(tmp_path, *five), actor="test")
    sixth = "054321;1;pi-6;2026-03-03T09:00:00Z;ping;primary;;;;;;1"
    with pytest.raises(ImportRefused) as caught:
        import_measurements(write(tmp_path, five[0].replace("09:01", "10:01"), sixth),
                            actor="test")
    assert caught.value.problems.lines() == [
        "metingen.csv:3: column device: pi-6 would be a sixth device at this location (at most "
        "5: pi-1, pi-2, pi-3, pi-4, pi-5)"]
    assert Measurement.objects.count() == 5


def test_a_key_twice_in_a_file_is_taken_once_if_equal_refused_if_not(tmp_path: Path,
                                                                     line: Any) -> None:
    run = import_measurements(write(tmp_path, ROWS[0], ROWS[1], ROWS[0]), actor="test")
    assert (run.rows, run.created, run.unchanged) == (3, 2, 1)
    assert DailyRollup.objects.get().speed_tests == 1
    Measurement.objects.all().delete()
    DailyRollup.objects.all().delete()
    other = ROWS[0].replace("93.5", "90")
    assert refused(write(tmp_path, ROWS[0], other)) == [
        "metingen.csv:3: column measured_at: the same measurement (device, time, kind) as line "
        "2, with other values"]


def test_a_provider_sends_only_its_own_lines_measurements(tmp_path: Path, line: Any) -> None:
    assert import_measurements(write(tmp_path, ROWS[0]), actor="t", provider="telenet").created
    assert refused(write(tmp_path, ROWS[0].replace("09:15", "10:15")), provider="proximus") == [
        "metingen.csv:2: column schoolnummer: no line of proximus is active at location 1 of "
        "school 054321 on 2026-03-02; you may send only measurements of your own lines"]


def test_the_command_imports_and_refuses(tmp_path: Path, line: Any, capsys: Any,
                                        monkeypatch: Any) -> None:
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # the command speaks its terminal's language
    call_command("import_measurements", str(write(tmp_path, *ROWS)), "--quiet")
    assert "6 measurements read: 6 new" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("import_measurements", str(write(tmp_path, ROWS[0].replace("+01:00", ""))),
                     "--quiet")
    assert "metingen.csv:2: column measured_at:" in capsys.readouterr().err


FEEDS = "/api/v1/measurements/feeds"


def upload(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("metingen.csv", "\n".join([HEADER, *rows]).encode(),
                              content_type="text/csv")


def api_client(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user, 'tests')[1]}"})


def test_the_feed_api_answers_202_with_the_job(line: Any, user_factory: Any) -> None:
    telenet = api_client(user_factory("provider", provider=Provider.objects.get(code="telenet")))
    answer = telenet.post(FEEDS, {"file": upload(*ROWS[:5])})
    assert answer.status_code == 202, answer.content
    job = answer.json()  # the tests run a job at once, in the request
    assert answer["Location"] == job["url"]
    assert (job["kind"], job["state"], job["result"]["created"]) == (
        "measurements", "succeeded", 5)
    proximus = api_client(user_factory("provider",
                                       provider=Provider.objects.get(code="proximus")))
    other = proximus.post(FEEDS, {"file": upload(ROWS[0])}).json()
    assert other["state"] == "refused"
    assert other["result"]["problems"][0].startswith("metingen.csv:2: column schoolnummer: no "
                                                     "line of proximus")


def test_schools_cannot_send_measurement_files(line: Any, user_factory: Any) -> None:
    coordinator = user_factory("coordinator", institutions=[line.location.institution])
    assert api_client(coordinator).post(FEEDS, {"file": upload(ROWS[0])}).status_code == 403
    assert not Measurement.objects.exists()


def test_the_upload_page_queues_the_file(line: Any, client_for: Any) -> None:
    analyst = client_for("analyst")
    assert analyst.get("/measurements/upload/").status_code == 200
    answer = analyst.post("/measurements/upload/", {"file": upload(*ROWS)})
    assert answer.status_code == 302 and "/jobs/job/?id=" in answer["Location"]
    assert Measurement.objects.count() == 6
    assert client_for("coordinator").get("/measurements/upload/").status_code == 403


def test_many_rollups_are_updated_a_chunk_at_a_time(tmp_path: Path, line: Any,
                                                    monkeypatch: Any) -> None:
    """A file adding to more stored rollups than one statement takes parameters."""
    monkeypatch.setattr(rollups, "CHUNK", 2)
    days = [f"2026-03-{d:02d}" for d in range(2, 9)]
    import_measurements(write(tmp_path, *(
        f"054321;;pi-1;{d}T09:00:00+01:00;ping;primary;;;;;;1" for d in days)), actor="test")
    import_measurements(write(tmp_path, *(
        f"054321;;pi-1;{d}T10:00:00+01:00;ping;primary;;;;;;0" for d in days)), actor="test")
    assert sorted(DailyRollup.objects.values_list("pings", "pings_reachable")) == [(2, 1)] * 7


def test_every_problem_is_named_in_one_round(tmp_path: Path, line: Any) -> None:
    """A bad row and a sixth device in one file; a file of bad rows only is refused too."""
    six = [f"054321;;pi-{n};2026-03-02T09:{n:02d}:00Z;ping;primary;;;;;;1" for n in range(1, 7)]
    assert refused(write(tmp_path, *six, "054321;;pi-1;2026-03-02T09:15:00;ping;primary;;;;;;1")
                   ) == [
        "metingen.csv:7: column device: pi-6 would be a sixth device at this location (at most "
        "5: pi-1, pi-2, pi-3, pi-4, pi-5)",
        "metingen.csv:8: column measured_at: '2026-03-02T09:15:00' has no offset (write it as "
        "2026-03-02T09:15:00+01:00 or …Z)"]
    assert refused(write(tmp_path, "999999;;pi-1;2026-03-02T09:15:00Z;ping;primary;;;;;;1")) == [
        "metingen.csv:2: column schoolnummer: 999999 is not a known school"]
