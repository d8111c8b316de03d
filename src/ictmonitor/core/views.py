"""The import pages under /imports/: the import history, one import, the audit log (files are
uploaded as background jobs: ictmonitor.jobs).

For the department (analyst) and administrators only.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ictmonitor.core import selectors
from ictmonitor.core.access import access
from ictmonitor.core.forms import AuditFilterForm
from ictmonitor.core.ids import parsed_id
from ictmonitor.core.problems import shown
from ictmonitor.core.roles import Role

PAGE_SIZE = 50


@access(Role.ANALYST, Role.ADMIN)
def runs(request: HttpRequest) -> HttpResponse:
    """The import history, newest first."""
    page = Paginator(selectors.import_runs(), PAGE_SIZE).get_page(request.GET.get("page"))
    for run in page:
        run.kind_label = selectors.kind_label(run.kind)  # type: ignore[attr-defined]
    return render(request, "core/runs.html", {"page": page})


@access(Role.ANALYST, Role.ADMIN)
def run(request: HttpRequest) -> HttpResponse:
    """One import (?id=N; without it the latest): counts, warnings, problems and its changes."""
    given = request.GET.get("id")
    if given is None:
        found = selectors.latest_import_run()
    elif (asked := parsed_id(given)) is not None:
        found = selectors.import_run(asked)
        if found is None:
            raise Http404("No such import")
    else:
        raise Http404("No such import")
    context: dict[str, object] = {"run": found, "latest": given is None}
    if found is not None:
        found.kind_label = selectors.kind_label(found.kind)  # type: ignore[attr-defined]
        entries = selectors.audit_entries(run=found.pk)
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.describe_changes(page.object_list)
        context.update(details=selectors.run_details(found), page=page,
                       problems=shown(found.problems), warnings=shown(found.warnings))
    return render(request, "core/run.html", context)


@access(Role.ANALYST, Role.ADMIN)
def audit(request: HttpRequest) -> HttpResponse:
    """The audit log: who changed what, when, from what to what."""
    form = AuditFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(selectors.audit_entries(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.describe_changes(page.object_list)
    return render(request, "core/audit.html", {
        "form": form, "page": page, "filtered": any(filters.values()),
    })
