"""The front page: what ictmonitor is, and where each role goes next."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ictmonitor.accounts.access import PUBLIC, access


@access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    """The front page."""
    return render(request, "home.html")
