"""The measuring devices of a school: issue a device token per location (shown once), revoke
one. For the school's coordinator, a provider whose line serves the location, and the admin."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import Role, access, access_institution
from ictmonitor.core.ids import parsed_id
from ictmonitor.core.recording import WriteRefused
from ictmonitor.measurements import selectors, tokens
from ictmonitor.measurements.models import MAX_DEVICES_PER_LOCATION, DeviceToken


@access(Role.COORDINATOR, Role.PROVIDER, Role.ADMIN)
def devices(request: HttpRequest, number: str) -> HttpResponse:
    """The school's locations, their devices' tokens, and the forms to issue and revoke."""
    institution = access_institution(request.user, number)
    locations = selectors.device_locations(request.user, institution)
    secret = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                token = DeviceToken.objects.filter(
                    pk=_number(request.POST.get("token")),
                    location__in=locations.values("pk")).first()
                if token is None:
                    raise Http404("No such token")
                tokens.revoke(token, request.user)
                messages.success(request, _("The token of %(device)s is revoked.")
                                 % {"device": token.device})
                return redirect(reverse("measurements:devices", args=[number]))
            location = locations.filter(pk=_number(request.POST.get("location"))).first()
            if location is None:
                raise Http404("No such location")
            token, secret = tokens.issue(location, request.POST.get("device", ""), request.user)
            messages.success(request, _("Device %(device)s has a new token. Copy it now: it is "
                                        "shown only once.") % {"device": token.device})
        except WriteRefused as refused:
            messages.error(request, str(refused))
    return render(request, "measurements/devices.html", {
        "institution": institution, "locations": list(locations), "secret": secret,
        "most": MAX_DEVICES_PER_LOCATION,
    })


def _number(value: str | None) -> int:
    """A row id from a form, or 0 (none)."""
    return parsed_id(value) or 0
