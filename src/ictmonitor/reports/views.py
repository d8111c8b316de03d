"""The report pages: the analysts' dashboard, one report with chart, table and downloads, and the
published reports anyone may open (always after disclosure control)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import PUBLIC, Role, access
from ictmonitor.core.disclosure import rule_text
from ictmonitor.core.translation import language
from ictmonitor.core.workkinds import queue_and_show
from ictmonitor.registry.selectors import latest_school_year
from ictmonitor.reports.charts import chart_spec
from ictmonitor.reports.definitions import Parameters, Report, Result
from ictmonitor.reports.engine import ReportError, catalogue, run_report
from ictmonitor.reports.exporters import FORMATS, content_type, export, file_name
from ictmonitor.reports.forms import PackForm, ReleaseForm, ReportForm, query_of
from ictmonitor.reports.releases import last_releasable_day
from ictmonitor.reports.selectors import release_dates

FORMAT_NAMES = {"json": "JSON", "csv": "CSV", "xlsx": "Excel (XLSX)", "pdf": "PDF"}


@access(Role.ANALYST, Role.ADMIN)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Headline figures, every report of the catalogue with the question it answers, and the
    releases the public pages serve, with the button to publish the next."""
    lang = language()
    return render(request, "reports/dashboard.html", {
        "headline": _headline(lang),
        "reports": _listed(catalogue().values(), lang),
        "releases": list(reversed(release_dates())),
        "release_form": ReleaseForm(initial={"on": last_releasable_day()}),
        "pack_form": PackForm(initial={"at": last_releasable_day()}),
    })


@access(Role.ANALYST, Role.ADMIN)
def release(request: HttpRequest) -> HttpResponse:
    """Publish a reference date (POST), as a background job (its tables are frozen): from then
    on the public pages serve its figures too."""
    if request.method != "POST":
        return dashboard(request)  # the form is on the dashboard
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                         for e in errors))
        return redirect("reports:dashboard")
    on = form.cleaned_data["on"]
    return queue_and_show(request, "publish", {"on": on.isoformat()},
                          _("Release %(date)s") % {"date": on.isoformat()})


@access(Role.ANALYST, Role.ADMIN)
def pack(request: HttpRequest) -> HttpResponse:
    """Make the answer pack (POST): every report in one PDF, as a background job whose page
    offers the file when it is done."""
    if request.method != "POST":
        return dashboard(request)  # the form is on the dashboard
    form = PackForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                         for e in errors))
        return redirect("reports:dashboard")
    at = form.cleaned_data["at"]
    return queue_and_show(request, "report-pack",
                          {"at": at.isoformat(), "public": form.cleaned_data["public"]},
                          _("Answer pack %(date)s") % {"date": at.isoformat()})


@access(Role.ANALYST, Role.ADMIN)
def report(request: HttpRequest, report_id: str) -> HttpResponse:
    """One report as the analyst asks for it: filters, chart, table and downloads."""
    return _page(request, _report_or_404(report_id), public_site=False)


@access(Role.ANALYST, Role.ADMIN)
def download(request: HttpRequest, report_id: str, fmt: str) -> HttpResponse:
    """The report as the page shows it, as a file in one of the export formats."""
    return _download(request, _report_or_404(report_id), fmt, public_site=False)


@access(PUBLIC)
def public_index(request: HttpRequest) -> HttpResponse:
    """Every published report, for anyone."""
    published = [r for r in catalogue().values() if r.public]
    return render(request, "reports/public_index.html", {
        "reports": _listed(published, language()),
    })


@access(PUBLIC)
def public_report(request: HttpRequest, report_id: str) -> HttpResponse:
    """A published report: only ever its public version, whatever the URL asks."""
    return _page(request, _report_or_404(report_id, published=True), public_site=True)


@access(PUBLIC)
def public_download(request: HttpRequest, report_id: str, fmt: str) -> HttpResponse:
    """A published report's public version as a file."""
    return _download(request, _report_or_404(report_id, published=True), fmt, public_site=True)


def _report_or_404(report_id: str, *, published: bool = False) -> Report:
    """The catalogue's report with this id (a published one if asked), else 404."""
    found = catalogue().get(report_id)
    if found is None or (published and not found.public):
        raise Http404("No such report")
    return found


def _figures(request: HttpRequest, report: Report, public_site: bool
             ) -> tuple[ReportForm, Result | None, str | None]:
    """The filter form, the result it asks for (None when it cannot be had) and why not.

    The public site serves releases only: its date is one an analyst published, and a
    sensitive report's figures are those frozen at a release (reports/frozen.py)."""
    published = release_dates() if public_site else None
    releases = published if "at" in report.uses else None
    form = ReportForm(report, request.GET, language=language(), public_choice=not public_site,
                      releases=releases)
    if published == [] and ("at" in report.uses or report.protect_order):
        return form, None, _("Nothing has been published yet.")
    parameters = form.parameters(public=True if public_site else None)
    if parameters is None:
        return form, None, _("Correct the filters marked below.")
    try:
        return form, run_report(report, parameters), None
    except ReportError as error:
        return form, None, str(error)


def _page(request: HttpRequest, report: Report, *, public_site: bool,
          status: int = 200) -> HttpResponse:
    """The report page, the analysts' or the public one."""
    form, result, error = _figures(request, report, public_site)
    if public_site and result is None and status == 200:
        status = 400  # a public page answers only what is published, and says why not
    lang = language()
    context: dict[str, Any] = {
        "report": report,
        "title": report.title(lang),
        "question": report.question(lang),
        "source": report.source(lang),
        "form": form,
        "error": error,
        "result": result,
        "language": lang,
        "public_site": public_site,
        "download_url": "public:download" if public_site else "reports:download",
        "page_url": "public:report" if public_site else "reports:report",
    }
    if result is not None:
        spec = chart_spec(result)
        context.update({
            "spec": spec or None,
            "chart_label": _chart_label(spec) if spec else "",
            "downloads": [(fmt, FORMAT_NAMES.get(fmt, fmt.upper())) for fmt in FORMATS],
            "query": query_of(report, result.parameters, public_choice=not public_site),
            "rule": result.rule or (rule_text(lang) if result.parameters.public else None),
        })
    template = "reports/public_report.html" if public_site else "reports/report.html"
    return render(request, template, context, status=status)


def _download(request: HttpRequest, report: Report, fmt: str, *,
              public_site: bool) -> HttpResponse:
    """The export, or the page with the reason when the parameters do not give a report."""
    if fmt not in FORMATS:
        raise Http404("No such format")
    result = _figures(request, report, public_site)[1]
    if result is None:
        return _page(request, report, public_site=public_site, status=400)
    response = HttpResponse(export(result, fmt), content_type=content_type(fmt))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=file_name(result, fmt))
    return response


def _chart_label(spec: dict[str, Any]) -> str:
    """A text alternative for the chart: its title; the table below gives every figure."""
    title = spec.get("title") or {}
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    subtitle = title.get("subtitle") if isinstance(title, dict) else None
    parts = [_("Chart: %(title)s.") % {"title": text} if text else _("Chart.")]
    if isinstance(subtitle, str):
        parts.append(f"{subtitle}.")
    parts.append(_("The table below gives the same figures."))
    return " ".join(parts)


def _listed(reports: Any, lang: str) -> list[dict[str, Any]]:
    """Id, title and question of each report, in the active language."""
    return [{"id": r.id, "title": r.title(lang), "question": r.question(lang),
             "sensitive": r.sensitive} for r in reports]


def _headline(lang: str) -> list[dict[str, Any]]:
    """Institutions, locations and pupils (latest school year), each from its report's totals."""
    reports, figures = catalogue(), []
    if "schools" in reports:
        totals = run_report(reports["schools"], Parameters(language=lang)).totals
        figures += [
            {"label": _("Institutions"), "value": totals.get("institutions"), "report": "schools"},
            {"label": _("Locations"), "value": totals.get("locations"), "report": "schools"},
        ]
    if "pupils" in reports:
        year = latest_school_year()
        totals = run_report(reports["pupils"], Parameters(language=lang)).totals
        label = (_("Pupils in school year %(year)s") % {"year": year}) if year else _("Pupils")
        figures.append({"label": label, "value": totals.get("pupils"), "report": "pupils"})
    return figures
