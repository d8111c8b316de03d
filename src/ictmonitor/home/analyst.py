"""The analysts' dashboard: the state of the country as shares of all schools, how each share
moved over the last year, and the report behind each figure."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ictmonitor.assessment import selectors as assessment
from ictmonitor.connectivity import selectors as connectivity
from ictmonitor.measurements import selectors as measurements
from ictmonitor.registry import selectors as registry

# The trend: the figure on the same day 12, 9, 6 and 3 months ago, and today.
TREND_MONTHS = (12, 9, 6, 3, 0)
FIREWALL = "firewall"


@dataclass(frozen=True)
class Point:
    """A figure on one day: the schools that have it, of all schools open that day."""

    day: date
    count: int
    schools: int

    @property
    def share(self) -> float | None:
        """count / schools, None when there were no schools."""
        return self.count / self.schools if self.schools else None


@dataclass(frozen=True)
class KeyFigure:
    """One figure of the dashboard: what it counts, its trend (oldest first, today last) and
    the report to drill down to (None: no report yet)."""

    code: str
    title: Promise
    points: list[Point]
    report: str | None

    @property
    def now(self) -> Point:
        return self.points[-1]

    @property
    def sparkline(self) -> str:
        """The shares as the points of an SVG polyline in a 100 × 30 box (0 % at the bottom,
        100 % at the top); days without schools are left out."""
        last = max(len(self.points) - 1, 1)
        return " ".join(f"{100 * i / last:.1f},{30 - 30 * p.share:.1f}"
                        for i, p in enumerate(self.points) if p.share is not None)

    @property
    def change(self) -> float | None:
        """The change of the share over the trend, in percentage points."""
        first, last = self.points[0].share, self.points[-1].share
        return None if first is None or last is None else (last - first) * 100


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


Counter = Callable[[list[date]], list[int]]


def counters() -> list[tuple[str, Promise, Counter, str | None]]:
    """Each key figure: its code, title, how to count its schools on some days, its report."""
    firewall = next((m.bit for m in connectivity.modules() if m.code == FIREWALL), None)
    found: list[tuple[str, Promise, Counter, str | None]] = [
        ("line", _("Schools with an active internet line"),
         connectivity.schools_with_lines, "connectivity-adoption"),
    ]
    if firewall is not None:
        found.append(("firewall", _("Schools whose line has a firewall"),
                      lambda days: connectivity.schools_with_lines(days, module_bit=firewall),
                      "module-adoption"))
    found += [
        ("measured", _("Schools whose line was measured in the last 30 days"),
         measurements.measured_schools, None),
        ("assessed", _("Schools that submitted an online-safety self-assessment"),
         assessment.schools_assessed, "assessment-areas"),
        ("label", _("Schools holding a valid online-safety label"),
         assessment.schools_labelled, "label-holders"),
    ]
    return found


def key_figures(today: date | None = None) -> list[KeyFigure]:
    """Every key figure with its trend over TREND_MONTHS (a query per figure for every day)."""
    today = today or timezone.localdate()
    days = [months_before(today, months) for months in TREND_MONTHS]
    schools = registry.institutions_open(days)
    figures = []
    for code, title, count, report in counters():
        counted = count(days)
        figures.append(KeyFigure(code, title, [Point(day, n, open_) for day, n, open_ in
                                               zip(days, counted, schools, strict=True)],
                                 report))
    return figures
