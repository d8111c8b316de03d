"""The board's matrix of its schools: a row per school (line, key modules, speed against the
standard, area scores, label, plan progress) to sort, filter and download."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ictmonitor.accounts.access import visible_institutions
from ictmonitor.assessment import selectors as assessment
from ictmonitor.connectivity import selectors as connectivity
from ictmonitor.core.translation import language
from ictmonitor.measurements import selectors as measurements
from ictmonitor.registry.models import Institution

# The modules a board looks at first; each gets its own column and filter.
KEY_MODULES = ("firewall", "web-protection", "wifi", "backup-line")
# A label this close to its end is "expiring".
EXPIRING_DAYS = 90
OUTCOME_WORDS = {"meets": gettext_lazy("meets"), "misses": gettext_lazy("misses"),
                 "unknown": gettext_lazy("cannot tell"), "none": gettext_lazy("no line")}


@dataclass(frozen=True)
class SchoolMeasured:
    """A school's lines as measured in their newest month: the fastest measured speed, and
    whether any judged line stays below 80 % of its contract."""

    download_mbps: float | None
    below_contract: bool


def measured_schools(ids: list[int], today: date) -> dict[int, SchoolMeasured]:
    """Institution id → its lines' newest measured month taken together (measured ones only)."""
    per_school: dict[int, list[measurements.RecentQuality]] = {}
    for quality in measurements.recent_line_quality(
            Q(line__location__institution_id__in=ids), today).values():
        per_school.setdefault(quality.institution_id, []).append(quality)
    return {school: SchoolMeasured(
        max((q.measured_download for q in found if q.measured_download is not None),
            default=None),
        any(q.meets_contract is False for q in found)) for school, found in per_school.items()}


@dataclass
class MatrixRow:
    """One school of the board, as the matrix shows it."""

    school: Institution
    connection: connectivity.Connection | None
    measured: SchoolMeasured | None
    verdict: Any
    safety: assessment.SchoolSafety
    modules: dict[str, bool]

    @property
    def outcome(self) -> str:
        """Against the standard: meets, misses, unknown (cannot tell) or none (no line)."""
        return self.verdict.outcome if self.verdict is not None else "none"

    @property
    def outcome_word(self) -> str:
        return str(OUTCOME_WORDS[self.outcome])

    @property
    def plan_share(self) -> float | None:
        """The share of the plan's actions done (None without a plan)."""
        return self.safety.actions_done / self.safety.actions if self.safety.actions else None


@dataclass(frozen=True)
class KeyModule:
    """A key module: its code, its bit and its name in the page's language."""

    code: str
    bit: int
    name: str


def key_modules() -> list[KeyModule]:
    """The key modules as the catalogue has them, in KEY_MODULES order."""
    found = {m.code: m for m in connectivity.modules()}
    return [KeyModule(code, found[code].bit, connectivity.text(found[code], "name"))
            for code in KEY_MODULES if code in found]


def matrix(user: Any, today: date | None = None) -> list[MatrixRow]:
    """Every school this user may see, with what the matrix shows of it, by name."""
    today = today or timezone.localdate()
    schools = list(visible_institutions(user).order_by("name", "number"))
    ids = [school.pk for school in schools]
    lines = connectivity.connections_of(ids, today)
    verdicts = connectivity.standard_verdicts(schools, lines)
    measured = measured_schools(ids, today)
    safety = assessment.safety_of(ids, today)
    keys = key_modules()
    rows = []
    for school in schools:
        line = lines.get(school.pk)
        mask = line.modules if line is not None else 0
        rows.append(MatrixRow(school, line, measured.get(school.pk), verdicts.get(school.pk),
                              safety[school.pk], {m.code: bool(mask & m.bit) for m in keys}))
    return rows


@dataclass(frozen=True)
class Filters:
    """What the matrix is narrowed to; empty texts leave a column alone."""

    text: str = ""
    line: str = ""  # "with" or "without"
    lacks: tuple[str, ...] = ()  # module codes the school must not have
    label: str = ""  # "with", "without" or "expiring"
    standard: str = ""  # an outcome: meets, misses, unknown, none
    measured: str = ""  # "below" (a line below its contract), "measured" or "unmeasured"


def narrowed(rows: list[MatrixRow], filters: Filters, today: date | None = None,
             ) -> list[MatrixRow]:
    """The rows that pass every filter at once."""
    today = today or timezone.localdate()
    text = filters.text.strip().casefold()
    soon = today + timedelta(days=EXPIRING_DAYS)

    def passes(row: MatrixRow) -> bool:
        label = row.safety.label
        checks = [
            not text or text in row.school.name.casefold()
            or row.school.number.casefold().startswith(text),
            filters.line != "with" or row.connection is not None,
            filters.line != "without" or row.connection is None,
            all(not row.modules.get(code, False) for code in filters.lacks),
            filters.label != "with" or label is not None,
            filters.label != "without" or label is None,
            filters.label != "expiring" or (label is not None and label.valid_until <= soon),
            not filters.standard or row.outcome == filters.standard,
            filters.measured != "below" or (row.measured is not None
                                            and row.measured.below_contract),
            filters.measured != "measured" or row.measured is not None,
            filters.measured != "unmeasured" or row.measured is None,
        ]
        return all(checks)

    return [row for row in rows if passes(row)]


STANDARD_ORDER = {"misses": 0, "none": 1, "unknown": 2, "meets": 3}
LABEL_ORDER = {"iron": 1, "bronze": 2, "silver": 3, "gold": 4}


def _sort_keys() -> dict[str, Callable[[MatrixRow], Any]]:
    """Each sortable column's key; a missing figure sorts first (the schools to look at)."""
    keys: dict[str, Callable[[MatrixRow], Any]] = {
        "school": lambda r: (r.school.name.casefold(), r.school.number),
        "line": lambda r: r.connection.download_mbps if r.connection else -1,
        "measured": lambda r: (r.measured.download_mbps or 0) if r.measured else -1,
        "standard": lambda r: STANDARD_ORDER[r.outcome],
        "label": lambda r: (LABEL_ORDER.get(r.safety.label.level, 0),
                            r.safety.label.valid_until) if r.safety.label else (-1, date.min),
        "plan": lambda r: r.plan_share if r.plan_share is not None else -1,
        "overall": lambda r: r.safety.overall if r.safety.overall is not None else -1,
    }
    for code in KEY_MODULES:
        keys[f"module-{code}"] = _has_module(code)
    for area, _title in assessment.area_titles("en"):
        keys[f"area-{area}"] = _area_score(area)
    return keys


def _has_module(code: str) -> Callable[[MatrixRow], Any]:
    return lambda row: row.modules.get(code, False)


def _area_score(area: str) -> Callable[[MatrixRow], Any]:
    return lambda row: row.safety.areas.get(area, -1)


def sort_codes() -> set[str]:
    """Every column the matrix sorts by."""
    return set(_sort_keys())


def sorted_rows(rows: list[MatrixRow], by: str, descending: bool = False) -> list[MatrixRow]:
    """The rows sorted by a column (by school for an unknown one), ties by school."""
    keys = _sort_keys()
    key = keys.get(by, keys["school"])
    by_school = sorted(rows, key=keys["school"])
    return sorted(by_school, key=key, reverse=descending)


@dataclass(frozen=True)
class Summary:
    """The matrix in a sentence or four: how many schools lack what."""

    schools: int
    without_line: int
    missing: dict[str, int]
    without_label: int
    below_standard: int


def summary(rows: list[MatrixRow]) -> Summary:
    """How many of the rows have no line, lack each key module, hold no label, miss the
    standard."""
    return Summary(
        schools=len(rows),
        without_line=sum(r.connection is None for r in rows),
        missing={code: sum(not r.modules.get(code, False) for r in rows)
                 for code in KEY_MODULES},
        without_label=sum(r.safety.label is None for r in rows),
        below_standard=sum(r.outcome == "misses" for r in rows),
    )


def export_table(rows: list[MatrixRow]) -> tuple[list[str], list[list[Any]]]:
    """The headers and rows of a download (CSV or XLSX): what the page shows, as figures."""
    lang = language()
    keys = key_modules()
    areas = assessment.area_titles(lang)
    titles = assessment.level_titles(lang)
    headers = [_("School number"), _("School"), _("Active lines"), _("Download (Mbps)"),
               _("Upload (Mbps)"), *[m.name for m in keys],
               _("Measured download (Mbps)"), _("Connectivity standard"),
               *[title for _code, title in areas], _("Overall score"), _("Label"),
               _("Label valid until"), _("Actions done"), _("Actions")]
    table = []
    for r in rows:
        line, label = r.connection, r.safety.label
        table.append([
            r.school.number, r.school.name, line.lines if line else 0,
            line.download_mbps if line else None, line.upload_mbps if line else None,
            *[_("yes") if r.modules.get(m.code) else _("no") for m in keys],
            round(r.measured.download_mbps, 1) if r.measured and r.measured.download_mbps
            else None,
            r.outcome_word,
            *[round(r.safety.areas[code], 1) if code in r.safety.areas else None
              for code, _title in areas],
            round(r.safety.overall, 1) if r.safety.overall is not None else None,
            titles.get(label.level, label.level) if label else "",
            label.valid_until.isoformat() if label else "",
            r.safety.actions_done, r.safety.actions,
        ])
    return headers, table
