"""Running a report: check the parameters, compute in the database, label, protect, stamp."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from ictmonitor.core.translation import message as _
from ictmonitor.reports.catalogue import REPORTS
from ictmonitor.reports.definitions import Measure, Parameters, Report, ReportError, Result
from ictmonitor.reports.frozen import public_figures
from ictmonitor.reports.labels import dimension_labels
from ictmonitor.reports.protection import protect_linked
from ictmonitor.reports.suppression import protect

DATE_DIMENSIONS = frozenset({"year", "month"})
STOCKS_NOT_ADDED = _("The total of {measures} is left empty: a stock (per year or month) is not "
                     "added up across years or months.")


def catalogue() -> dict[str, Report]:
    """Every report, by id, in catalogue order."""
    return {report.id: report for report in REPORTS}


def get_report(report_id: str) -> Report:
    """The report with this id, or ReportError naming the ones there are."""
    reports = catalogue()
    if report_id not in reports:
        raise ReportError(f"no report {report_id!r}; there are: {', '.join(reports)}")
    return reports[report_id]


def check(report: Report, parameters: Parameters) -> None:
    """Refuse dimensions and options the report does not have."""
    unknown = [d for d in parameters.by if d not in report.dimensions]
    if unknown:
        raise ReportError(
            f"{report.id} cannot be broken down by {', '.join(unknown)}; "
            f"it can by: {', '.join(report.dimensions)}"
        )
    if len(set(parameters.by)) != len(parameters.by):
        raise ReportError("--by names a dimension twice")
    given = {"year": parameters.year, "split": parameters.split, **parameters.options}
    for option, value in given.items():
        if value is not None and option not in report.uses:
            raise ReportError(f"{report.id} does not use --{option}")
    if "period" in parameters.by and parameters.split is None:
        raise ReportError("--by period needs --split YYYY-MM-DD")


def run_report(report: Report, parameters: Parameters) -> Result:
    """The report's figures for these parameters, protected when public."""
    check(report, parameters)
    if parameters.public and report.sensitive and report.protect_order:
        rows, totals = public_figures(report, parameters)  # a release's frozen figures
    else:
        rows, totals = report.compute(parameters)
    by = list(parameters.by)
    stocks = _stocks_over_dates(report, by)
    for measure in stocks:
        totals[measure.code] = None
    if not by:
        rows = []  # without a breakdown a report gives its totals only
    if len(by) == 1:  # the common big case, a row per school: no tuple of tuples per row
        only = by[0]
        rows.sort(key=lambda row: _sort_key(row[only]))
    else:
        rows.sort(key=lambda row: tuple(_sort_key(row[d]) for d in by))
    known = getattr(rows, "names", {})
    labels = {d: dimension_labels(d, [row[d] for row in rows], parameters.language,
                                  known.get(d), ordered=d == by[0]) for d in by}
    result = Result(
        report=report, parameters=parameters, generated_at=timezone.localtime(),
        dimensions=by, rows=rows, totals=totals, labels=labels,
    )
    if report.annotate is not None:
        result.annotations = report.annotate(parameters)
    if parameters.public and report.sensitive and report.protect_order:
        protect_linked(result)
    elif parameters.public and report.sensitive:
        protect(result)
    if stocks:
        language = parameters.language
        note = STOCKS_NOT_ADDED(language).format(
            measures=", ".join(m.label(language) for m in stocks))
        result.rule = f"{result.rule} {note}" if result.rule else note
    return result


def _stocks_over_dates(report: Report, by: list[str]) -> list[Measure]:
    """The stocks a breakdown by year or month keeps from adding up across dates, and the
    rates computed from them (reports.md: a stock is never added across dates)."""
    if not DATE_DIMENSIONS & set(by):
        return []
    stocks = {m.code for m in report.measures if m.stock}
    return [m for m in report.measures
            if m.code in stocks or (m.rate_of and stocks & set(m.rate_of))]


def _sort_key(value: object) -> tuple[int, str]:
    """Unknown values last; the rest by their code."""
    return (1, "") if value is None else (0, str(value))


def parse_by(text: str | None) -> tuple[str, ...]:
    """`level,province` → ('level', 'province')."""
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def parse_day(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option, or ReportError."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReportError(f"--{option} {text!r} is not a date written YYYY-MM-DD") from None
