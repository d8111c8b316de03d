"""The assessment's start page (the user's schools and where they stand) and the fact sheets."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ictmonitor.accounts.access import PUBLIC, Role, access, role_of, visible_institutions
from ictmonitor.assessment import factsheets, presentation, rendering, selectors
from ictmonitor.assessment.models import Assessment
from ictmonitor.assessment.views.common import READERS

PAGE_SIZE = 50


@access(*READERS)
def index(request: HttpRequest) -> HttpResponse:
    """The user's schools with their assessment and label; the department sees the latest."""
    today = timezone.localdate()
    every = role_of(request.user) in (Role.ANALYST, Role.ADMIN)
    schools = visible_institutions(request.user).select_related("province")
    query = (request.GET.get("q") or "").strip()[:100].replace("\x00", "")
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(number__istartswith=query))
    if every and not query:  # the department starts from the schools that took part
        schools = schools.filter(assessments__isnull=False).distinct()
    page = Paginator(schools.order_by("name", "number"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    labels = {label.institution_id: label for label in selectors.valid_labels(today)
              .filter(institution__in=[s.pk for s in page]).order_by("awarded_on")}
    latest = {a.institution_id: a for a in Assessment.objects
              .filter(institution__in=[s.pk for s in page]).order_by("cycle")}
    rows = [{"school": s, "label": labels.get(s.pk), "assessment": latest.get(s.pk)}
            for s in page]
    return render(request, "assessment/index.html", {
        "page": page, "rows": rows, "query": query, "every": every})


@access(PUBLIC)
def factsheet(request: HttpRequest) -> HttpResponse:
    """One fact sheet (?code=phishing, ?lang=nl|en), or the list of them all."""
    lang = presentation.chosen(request.GET.get("lang"))
    code = request.GET.get("code")
    codes = factsheets.all_codes()
    if code:
        if code not in codes:
            raise Http404("No such fact sheet")
        sheet = presentation.factsheet(code, lang)
        return render(request, "assessment/factsheet.html", {
            "sheet": sheet, "body": rendering.markdown(sheet.body), "lang": lang})
    return render(request, "assessment/factsheets.html", {
        "sheets": presentation.factsheet_links(codes, lang), "lang": lang})
