"""The incident log's pages: the school's coordinator records, lists and corrects incidents; its
board reads them. The department sees only the `incidents` report, never a school's log."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import Role, access, access_institution, role_of
from ictmonitor.core.ids import query_id
from ictmonitor.incidents import selectors, services
from ictmonitor.incidents.forms import NO_NAMES, IncidentForm

READERS = (Role.COORDINATOR, Role.BOARD)
EDITORS = (Role.COORDINATOR,)


@access(*READERS)
def log(request: HttpRequest, number: str) -> HttpResponse:
    """The school's incidents, the most recent first."""
    institution = access_institution(request.user, number)
    return render(request, "incidents/log.html", {
        "institution": institution, "incidents": selectors.incidents_of(institution),
        "may_edit": role_of(request.user) in EDITORS, "no_names": NO_NAMES})


@access(*EDITORS)
def record(request: HttpRequest, number: str) -> HttpResponse:
    """Record a new incident, or correct the one in ?id=N."""
    institution = access_institution(request.user, number)
    incident_id = query_id(request)
    incident = selectors.incident_of(institution, incident_id)
    if incident_id is not None and incident is None:
        raise Http404("No such incident")
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            try:
                if incident is None:
                    services.record_incident(institution, form.given(), by=request.user)
                    messages.success(request, _("The incident was recorded."))
                else:
                    services.update_incident(institution, incident.pk, form.given(),
                                             by=request.user)
                    messages.success(request, _("The incident was saved."))
                return redirect("incidents:log", number=number)
            except services.IncidentError as problem:
                form.add_error(None, str(problem))
    else:
        form = IncidentForm.of(incident) if incident else IncidentForm()
    return render(request, "incidents/record.html", {
        "institution": institution, "incident": incident, "form": form,
        "no_names": NO_NAMES})
