"""Do schools get the speed and availability they pay for? (seed 000, q3: "the speed of the
line is enormously important")"""

from __future__ import annotations

from typing import Any

from ictmonitor.connectivity.selectors import standard_in_force
from ictmonitor.core.translation import message as _
from ictmonitor.measurements.selectors import connectivity_quality
from ictmonitor.reports.definitions import RATE, Annotations, Measure, Parameters, Report, Rows

MEASURED = _("The measuring devices at the schools (contracts/measurements.md)")
STANDARD = _("Standard in force")
PERIOD = _("Period")
PERIOD_TEXT = _("Lines are judged per calendar month: broken down by month, every month of the "
                "year up to the reference date; otherwise the last of those months (the month of "
                "the reference date up to that day, or December of an earlier year).")
DEFINITIONS = _("Definitions")
DEFINITIONS_TEXT = _("Measured speed: the median of a line's speed tests on the primary line in "
                     "school hours. Meets its contract: measured speed at least 80% of the "
                     "contracted download, judged only with 10 or more such tests in the month "
                     "(others are counted as lines with too few tests). Availability: reachable "
                     "pings over all pings in school hours.")


def compute(parameters: Parameters) -> tuple[Rows, dict[str, Any]]:
    """Lines measured, their median measured speed, the shares meeting contract and standard,
    availability in school hours and hours on backup, from the month rollups (and the day
    rollups of a month counted in part)."""
    return connectivity_quality(parameters.by, parameters.at, parameters.year)


def annotate(parameters: Parameters) -> Annotations:
    """The standard in force, named (contracts/measurements.md), and how periods are read."""
    language = parameters.language
    standard = standard_in_force()
    return Annotations(
        data={"standard": {"code": standard.code, "name": standard.name.in_language(language)}},
        lines=[(STANDARD(language), standard.name.in_language(language)),
               (PERIOD(language), PERIOD_TEXT(language)),
               (DEFINITIONS(language), DEFINITIONS_TEXT(language))])


CONNECTIVITY_QUALITY = Report(
    id="connectivity-quality",
    title=_("Measured quality of the school lines"),
    question=_("Do schools get the speed and availability they pay for?"),
    dimensions=("province", "level", "provider", "offer", "month", "school"),
    measures=(
        Measure("lines_measured", _("lines measured"), stock=True),
        Measure("median_download_mbps", _("median measured download (Mbps)"), stock=True),
        Measure("meets_contract_share", _("share meeting their contract"), kind=RATE,
                stock=True),
        Measure("meets_standard_share", _("share meeting the standard"), kind=RATE, stock=True),
        Measure("lines_too_few_tests", _("lines with too few tests"), stock=True),
        Measure("availability_school_hours", _("availability in school hours"), kind=RATE),
        Measure("hours_on_backup", _("hours on the backup line")),
    ),
    compute=compute,
    typical_by=("province",),
    uses=frozenset({"at", "year"}),
    source=MEASURED,
    annotate=annotate,
)
