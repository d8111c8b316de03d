"""What a line delivers, judged exactly as contracts/measurements.md defines it.

Pure: these functions add up day rollups and failover rows that the selectors read; they touch
no database. A `Tally` is what a set of one line's rollups (a calendar month, say) adds up to:

- measured speed: the median of the line's `speed` tests on the primary path in school hours;
- meets its contract (a calendar month): measured speed ≥ 80 % of the contracted download; a
  line with fewer than 10 such tests that month is not judged (None);
- availability: reachable pings ÷ all pings, in school hours and around the clock; no ping, no
  availability (None, never 100 %);
- a failover is a `failover` row to the backup path, ended by the next one back to primary;
- reporting status of a device: live under 21 days since its last measurement, at risk at
  21–28 days, dropped after 28 days, never without any.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

CONTRACT_SHARE = 0.8
MIN_SPEED_TESTS = 10
AT_RISK_AFTER = timedelta(days=21)
DROPPED_AFTER = timedelta(days=28)
LIVE, AT_RISK, DROPPED, NEVER = "live", "at-risk", "dropped", "never"
STATUSES = (LIVE, AT_RISK, DROPPED, NEVER)

# The columns of a rollup a tally adds, in this order (selectors read them so).
ROLLUP_COLUMNS = ("speed_tests_school_hours", "download_school_hours", "upload_school_hours",
                  "pings", "pings_reachable", "pings_school_hours",
                  "pings_reachable_school_hours", "failovers", "returns", "last_measured_at")


def median(values: Sequence[float]) -> float | None:
    """The median (the mean of the two middle values of an even count); None for none."""
    return statistics.median(values) if values else None


def ratio(part: int, whole: int) -> float | None:
    """part ÷ whole, or None when there is no whole."""
    return part / whole if whole else None


def month_of(day: date) -> str:
    """A day's calendar month as its code, `YYYY-MM`."""
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(slots=True)
class Tally:
    """What some rollups of one line (or one group of lines' pings) add up to."""

    speed_tests: int = 0  # on the primary path in school hours
    downloads: list[float] = field(default_factory=list)
    uploads: list[float] = field(default_factory=list)
    pings: int = 0
    pings_reachable: int = 0
    pings_school_hours: int = 0
    pings_reachable_school_hours: int = 0
    failovers: int = 0
    returns: int = 0
    last_measured_at: datetime | None = None
    # a month rollup's measured download and upload, kept (its speeds are not read again)
    kept_medians: tuple[float | None, float | None] | None = None

    def add(self, values: Sequence[object]) -> None:
        """Add one rollup's ROLLUP_COLUMNS."""
        (tests, downloads, uploads, pings, reachable, pings_school, reachable_school,
         failovers, returns, last) = values
        self.speed_tests += int(tests)  # type: ignore[call-overload]
        self.downloads.extend(downloads)  # type: ignore[arg-type]
        self.uploads.extend(uploads)  # type: ignore[arg-type]
        self.pings += int(pings)  # type: ignore[call-overload]
        self.pings_reachable += int(reachable)  # type: ignore[call-overload]
        self.pings_school_hours += int(pings_school)  # type: ignore[call-overload]
        self.pings_reachable_school_hours += int(reachable_school)  # type: ignore[call-overload]
        self.failovers += int(failovers)  # type: ignore[call-overload]
        self.returns += int(returns)  # type: ignore[call-overload]
        if isinstance(last, datetime) and (self.last_measured_at is None
                                           or last > self.last_measured_at):
            self.last_measured_at = last

    @property
    def measured_download(self) -> float | None:
        """Measured speed: the median download of the school-hour primary speed tests."""
        if self.kept_medians is not None:
            return self.kept_medians[0]
        return median(self.downloads)

    @property
    def measured_upload(self) -> float | None:
        """The median upload of the same tests."""
        if self.kept_medians is not None:
            return self.kept_medians[1]
        return median(self.uploads)

    @property
    def judged(self) -> bool:
        """Whether there are enough speed tests (10 in school hours) to judge the line."""
        return self.speed_tests >= MIN_SPEED_TESTS

    @property
    def availability_school_hours(self) -> float | None:
        """Reachable pings ÷ all pings in school hours (None: no ping)."""
        return ratio(self.pings_reachable_school_hours, self.pings_school_hours)

    @property
    def availability(self) -> float | None:
        """Reachable pings ÷ all pings around the clock (None: no ping)."""
        return ratio(self.pings_reachable, self.pings)


def meets_contract(tally: Tally, contracted_download_mbps: float | None) -> bool | None:
    """Whether measured speed reaches 80 % of the contracted download; None when not judged
    (fewer than 10 speed tests in school hours, or no contracted speed)."""
    return contract_met(tally.speed_tests, tally.measured_download, contracted_download_mbps)


def contract_met(speed_tests: int, measured_download: float | None,
                 contracted_download_mbps: float | None) -> bool | None:
    """meets_contract from a month's figures: its school-hour primary speed tests and their
    median download."""
    if speed_tests < MIN_SPEED_TESTS or not contracted_download_mbps:
        return None
    assert measured_download is not None  # judged: there are tests
    return measured_download >= CONTRACT_SHARE * contracted_download_mbps


def share_of_contract(tally: Tally, contracted_download_mbps: float | None) -> float | None:
    """Measured speed as a fraction of the contracted download (1.0 = as contracted)."""
    measured = tally.measured_download
    if measured is None or not contracted_download_mbps:
        return None
    return measured / contracted_download_mbps


def reporting_status(last_measured_at: datetime | None, now: datetime) -> str:
    """live, at-risk, dropped or never, by the age of the last measurement at `now`."""
    if last_measured_at is None:
        return NEVER
    age = now - last_measured_at
    if age < AT_RISK_AFTER:
        return LIVE
    if age <= DROPPED_AFTER:
        return AT_RISK
    return DROPPED


@dataclass(frozen=True)
class Failover:
    """One spell on the backup path: from a failover row to backup to the next back to primary
    (of the same line and device); `ended_at` None while it lasts."""

    line_id: int | None
    location_id: int
    device: str
    started_at: datetime
    ended_at: datetime | None

    def minutes(self, until: datetime) -> float:
        """Minutes on backup; a spell not ended yet counts up to `until`."""
        end = self.ended_at if self.ended_at is not None else max(until, self.started_at)
        return (end - self.started_at).total_seconds() / 60


def failover_spells(rows: Iterable[tuple[int | None, int, str, datetime, str]]) -> list[Failover]:
    """Pair failover rows (line, location, device, measured_at, path), sorted by line, device
    and time, into spells: each row to backup starts one, the next row to primary ends it (a
    second row to backup before it does not start another: the path did not change)."""
    spells: list[Failover] = []
    open_spell: dict[tuple[int | None, int, str], datetime] = {}
    for line_id, location_id, device, moment, path in rows:
        key = (line_id, location_id, device)
        if path == "backup":
            if key not in open_spell:
                open_spell[key] = moment
        elif key in open_spell:
            spells.append(Failover(line_id, location_id, device, open_spell.pop(key), moment))
    spells += [Failover(line_id, location_id, device, started, None)
               for (line_id, location_id, device), started in open_spell.items()]
    return sorted(spells, key=lambda s: (s.line_id or 0, s.location_id, s.device, s.started_at))
