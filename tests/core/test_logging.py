"""The log: a refused request (403) is one line; a server error keeps its traceback."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest
from django.urls import reverse

from ictmonitor.core.logfilters import ClientErrorsBrief


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handler (settings.LOGGING) writes."""
    handler = next(h for h in logging.getLogger().handlers
                   if any(isinstance(f, ClientErrorsBrief) for f in h.filters))
    assert isinstance(handler, logging.StreamHandler)
    written = io.StringIO()
    # Not setStream: it flushes the stream it replaces, which may be an earlier test's
    # captured output that pytest has closed since.
    before, handler.stream = handler.stream, written
    yield written
    handler.stream = before


@pytest.mark.django_db
def test_a_403_is_logged_as_one_line_without_a_traceback(client_for, console):
    overview = reverse("registry:overview")  # analysts and administrators only
    assert client_for("coordinator").get(overview).status_code == 403
    assert console.getvalue() == f"Forbidden (Permission denied): {overview}\n"


def test_a_server_error_keeps_its_traceback(console):
    try:
        raise RuntimeError("broken")
    except RuntimeError:
        logging.getLogger("django.request").error("Internal Server Error: /x",
                                                  exc_info=sys.exc_info(),
                                                  extra={"status_code": 500})
    assert "Traceback" in console.getvalue() and "RuntimeError: broken" in console.getvalue()


def test_other_handlers_still_get_the_traceback_of_a_403(console, caplog):
    try:
        raise PermissionError("no")
    except PermissionError:
        logging.getLogger("django.request").warning("Forbidden (Permission denied): /y",
                                                    exc_info=sys.exc_info(),
                                                    extra={"status_code": 403})
    assert console.getvalue() == "Forbidden (Permission denied): /y\n"
    assert caplog.records[-1].exc_info is not None
