"""Log filters named in settings.LOGGING."""

from __future__ import annotations

import copy
import logging

CLIENT_ERRORS = range(400, 500)


class ClientErrorsBrief(logging.Filter):
    """A request refused for the client's doing (403 permission denied, 400 bad request) is
    written as its one line, without the traceback Django attaches to it: a traceback there
    tells nothing about the program and buries the server errors (5xx), which keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool | logging.LogRecord:
        """The record as it is, or a copy without its exception for a 4xx response."""
        if getattr(record, "status_code", None) not in CLIENT_ERRORS or not record.exc_info:
            return True
        brief = copy.copy(record)  # other handlers still get the record as it was logged
        brief.exc_info = None
        brief.exc_text = None
        return brief
