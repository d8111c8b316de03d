"""The kinds of notification, what each is called on the preferences page, and its text.

A notification keeps its kind and parameters, not its text: the text is made here, through
gettext, in the language of the page or e-mail that shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ictmonitor.assessment import selectors as assessment_selectors
from ictmonitor.core.translation import language

LABEL_EXPIRING = "label-expiring"
FRAMEWORK_VERSION = "framework-version"
REQUEST_CONFIRMED = "request-confirmed"
WAVE_OPENED = "wave-opened"
JOB_ENDED = "job-ended"
LINE_ALERT = "line-alert"


@dataclass(frozen=True)
class Kind:
    """A kind of notification: its code, its name and who it is for (the preferences page),
    and how its text is made from its parameters."""

    code: str
    name: Promise
    for_whom: Promise
    text: Callable[[dict[str, Any]], str]


def _day(text: str) -> str:
    day = parse_date(text)
    return date_format(day, "DATE_FORMAT") if day else text


def _label_expiring(p: dict[str, Any]) -> str:
    titles = assessment_selectors.level_titles(language())
    return _("The %(level)s label of %(school)s runs out on %(date)s, in %(days)s days: "
             "start a new self-assessment to renew it.") % {
        "level": titles.get(p["level"], p["level"]), "school": p["school"],
        "date": _day(p["valid_until"]), "days": p["days"]}


def _framework_version(p: dict[str, Any]) -> str:
    return _("Version %(version)s of the online-safety framework is out: new self-assessments "
             "use it.") % {"version": p["version"]}


def _request_confirmed(p: dict[str, Any]) -> str:
    offer = p.get(f"offer_{language()}")
    return _("%(provider)s confirmed the line requested for %(school)s (%(offer)s).") % {
        "provider": p["provider"], "school": p["school"], "offer": offer}


def _wave_opened(p: dict[str, Any]) -> str:
    name = p.get(f"name_{language()}")
    if p.get("closes_on"):
        return _("Voucher wave %(wave)s takes requests until %(date)s.") % {
            "wave": name or p["code"], "date": _day(p["closes_on"])}
    return _("Voucher wave %(wave)s takes requests.") % {"wave": name or p["code"]}


def _job_ended(p: dict[str, Any]) -> str:
    if p["state"] == "succeeded":
        return _("Your import of %(file)s is done.") % {"file": p["file"]}
    if p["state"] == "refused":
        return _("Your import of %(file)s was refused: its page lists the problems.") % {
            "file": p["file"]}
    return _("Your import of %(file)s failed.") % {"file": p["file"]}


def _line_alert(p: dict[str, Any]) -> str:
    where = {"place": p["place"], "school": p["school"]}
    if p["alert"] == "device-dropped":
        return _("The measuring device at %(place)s (%(school)s) has sent nothing since "
                 "%(date)s.") % {**where, "date": _day(p["since"])}
    if p["alert"] == "backup-idle":
        return _("The backup line at %(place)s (%(school)s) has not taken over once in six "
                 "months: check that it works.") % where
    return _("The line at %(place)s (%(school)s) delivered less than 80%% of its contract in "
             "%(month)s.") % {**where, "month": p["month"]}


KINDS: dict[str, Kind] = {kind.code: kind for kind in (
    Kind(LABEL_EXPIRING, gettext_lazy("A label runs out in 60 and in 30 days"),
         gettext_lazy("the school's coordinators and board"), _label_expiring),
    Kind(FRAMEWORK_VERSION, gettext_lazy("A new version of the online-safety framework"),
         gettext_lazy("coordinators and boards"), _framework_version),
    Kind(REQUEST_CONFIRMED, gettext_lazy("A requested line is confirmed by its provider"),
         gettext_lazy("who requested it and the school's coordinators"), _request_confirmed),
    Kind(WAVE_OPENED, gettext_lazy("A voucher wave opens for requests"),
         gettext_lazy("coordinators"), _wave_opened),
    Kind(JOB_ENDED, gettext_lazy("An import I started has ended (done, refused or failed)"),
         gettext_lazy("who started it"), _job_ended),
    Kind(LINE_ALERT, gettext_lazy("A measuring device goes quiet or a line delivers less "
                                  "than its contract"),
         gettext_lazy("the school's coordinators and the line's provider"), _line_alert),
)}


def text_of(kind: str, params: dict[str, Any]) -> str:
    """A notification's text in the active language."""
    found = KINDS.get(kind)
    return found.text(params) if found else kind
