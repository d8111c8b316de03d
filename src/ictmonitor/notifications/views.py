"""A user's notifications (the list, marked read) and the choice of what to receive."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import EVERY_ROLE, access
from ictmonitor.notifications import selectors, services
from ictmonitor.notifications.kinds import KINDS

PER_PAGE = 50


@access(*EVERY_ROLE)
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; POST marks them read (all, or one: `id`)."""
    if request.method == "POST":
        chosen = request.POST.get("id", "")
        done = services.mark_read(request.user, [int(chosen)] if chosen.isdigit() else None)
        if done:
            messages.success(request, _("Marked as read."))
        return redirect("notifications:list")
    page = Paginator(selectors.notifications_of(request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "items": selectors.with_texts(page.object_list),
        "unread": selectors.unread_count(request.user)})


@access(*EVERY_ROLE)
def preferences(request: HttpRequest) -> HttpResponse:
    """Which kinds the user receives, in the app and by e-mail."""
    if request.method == "POST":
        chosen = {code: (f"{code}:app" in request.POST, f"{code}:email" in request.POST)
                  for code in KINDS}
        changed = services.set_choices(request.user, chosen, by=request.user)
        messages.success(request, _("Your choices are saved.") if changed
                         else _("Nothing changed."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {
        "choices": selectors.choices(request.user), "email": getattr(request.user, "email", "")})
