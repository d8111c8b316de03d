"""The import pages under /imports/: upload a file, the import history, one import, the audit log.

For the department (analyst) and administrators only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import access
from ictmonitor.accounts.models import Role
from ictmonitor.core import selectors
from ictmonitor.core.forms import AuditFilterForm, UploadForm
from ictmonitor.core.problems import ImportRefused

PAGE_SIZE = 50
PROBLEMS_SHOWN = 100


def run_url(pk: int) -> str:
    """The page of one import."""
    return f"{reverse('core:run')}?id={pk}"


@access(Role.ANALYST, Role.ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    """Import a file from the browser, as `ictmonitor import` does on the command line."""
    form = UploadForm(request.POST or None, request.FILES or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            run = form.run_import(request.user)
        except ImportRefused as error:
            refused = _refusal(error)
        else:
            messages.success(request, _(
                "%(file)s imported: %(rows)s rows read, %(created)s new, %(updated)s changed, "
                "%(unchanged)s unchanged."
            ) % {"file": run.file_name, "rows": run.rows, "created": run.created,
                 "updated": run.updated, "unchanged": run.unchanged})
            return redirect(run_url(run.pk))
    return render(request, "core/upload.html", {"form": form, "refused": refused})


def _refusal(error: ImportRefused) -> dict[str, object]:
    """The first problems of a refused file, in file order, and how many more there were."""
    found = error.problems
    shown = [str(p) for p in sorted(found.items, key=lambda p: (p.line, p.column))]
    shown = shown[:PROBLEMS_SHOWN]
    return {"file": found.file, "total": found.total, "problems": shown,
            "hidden": found.total - len(shown)}


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
    elif given.isdigit():
        found = selectors.import_run(int(given))
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
        context.update(details=selectors.run_details(found), page=page)
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
