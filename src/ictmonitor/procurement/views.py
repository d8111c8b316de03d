"""The tariff simulator for school boards and analysts: inputs, results, PDF, saved scenarios."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import Role, access
from ictmonitor.core.translation import language
from ictmonitor.procurement import selectors, services
from ictmonitor.procurement.forms import TariffForm, initial_from
from ictmonitor.procurement.model import Scenario
from ictmonitor.procurement.models import SavedScenario
from ictmonitor.procurement.pdf import file_name, render_pdf
from ictmonitor.procurement.presentation import results
from ictmonitor.procurement.scenarios import (
    DEFAULT,
    ScenarioError,
    load_scenario,
    parse,
    shipped_names,
    text_in,
    to_data,
)

ROLES = (Role.BOARD, Role.ANALYST, Role.ADMIN)


@access(*ROLES)
def simulator(request: HttpRequest) -> HttpResponse:
    """The inputs and their yearly tariffs; POST recalculates (a fragment for htmx) or saves."""
    if request.method != "POST":
        return _opened(request)
    form = TariffForm(request.POST)
    scenario = form.scenario()
    if request.POST.get("action") == "save":
        name = (form.cleaned_data.get("name") or "").strip() if scenario else ""
        if scenario is not None and name:
            saved = services.save_scenario(owner=request.user, name=name, data=to_data(scenario))
            messages.success(request, _("Saved as “%(name)s”.") % {"name": name})
            return redirect(f"{reverse('procurement:simulator')}?saved={saved.pk}")
        if scenario is not None:
            form.add_error("name", _("Give the scenario a name to save it."))
        return _page(request, form, scenario)
    if request.headers.get("HX-Request") == "true":
        return render(request, "procurement/_results.html", _results_context(form, scenario))
    return _page(request, form, scenario)


@access(*ROLES)
def pdf(request: HttpRequest) -> HttpResponse:
    """The scenario as an A4 PDF: the form's inputs (POST), else a shipped or saved scenario."""
    scenario: Scenario | None
    if request.method == "POST":
        form = TariffForm(request.POST)
        scenario = form.scenario()
        if scenario is None:
            return _page(request, form, None, status=400)
    else:
        scenario = _base(request)[0]
    response = HttpResponse(render_pdf(scenario, language()), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=file_name(scenario))
    return response


@access(*ROLES)
def scenarios(request: HttpRequest) -> HttpResponse:
    """The user's saved scenarios, to reopen or delete (POST `delete` = the id)."""
    if request.method == "POST" and "delete" in request.POST:
        saved = selectors.access_saved(request.user, request.POST["delete"])
        services.delete_scenario(saved, by=request.user)
        messages.success(request, _("Deleted “%(name)s”.") % {"name": saved.name})
        return redirect("procurement:scenarios")
    return render(request, "procurement/scenarios.html", {
        "saved": selectors.my_scenarios(request.user), "shipped": _shipped(),
    })


def _opened(request: HttpRequest) -> HttpResponse:
    """The page with a shipped or saved scenario's inputs and results."""
    scenario, saved = _base(request)
    form = TariffForm(initial=initial_from(scenario, language(), saved.name if saved else ""))
    return _page(request, form, scenario, saved=saved)


def _base(request: HttpRequest) -> tuple[Scenario, SavedScenario | None]:
    """The scenario a GET starts from: `?saved=ID` (the user's own), `?scenario=NAME`, default."""
    if request.GET.get("saved"):
        saved = selectors.access_saved(request.user, request.GET["saved"])
        try:
            return parse(saved.data, saved.name, default_name=saved.name), saved
        except ScenarioError:
            raise Http404("This saved scenario can no longer be read") from None
    name = request.GET.get("scenario") or DEFAULT
    if name not in shipped_names():
        raise Http404("No such scenario")
    return load_scenario(name), None


def _page(request: HttpRequest, form: TariffForm, scenario: Scenario | None, *,
          saved: SavedScenario | None = None, status: int = 200) -> HttpResponse:
    context = _results_context(form, scenario)
    context.update({"saved": saved, "shipped": _shipped(),
                    "my_scenarios": selectors.my_scenarios(request.user)})
    return render(request, "procurement/simulator.html", context, status=status)


def _results_context(form: TariffForm, scenario: Scenario | None) -> dict[str, Any]:
    return {"form": form, "scenario": scenario,
            "results": results(scenario, language()) if scenario is not None else None}


def _shipped() -> list[dict[str, str]]:
    """The shipped scenarios' names and titles, for the links to start from."""
    lang = language()
    return [{"name": name, "title": text_in(load_scenario(name).title, lang) or name}
            for name in shipped_names()]
