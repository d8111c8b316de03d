"""The policy generator: a school's acceptable-use policy and incident-handling procedure,
written from its answers and its registry data, in Dutch and English.

Each document is a template per language (templates/assessment/policies/KIND.LANG.html): a
statement reads as a rule the school applies where its answer is at least *in place* (2), and
as a commitment with the plan's action where it is not yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from ictmonitor.assessment import selectors
from ictmonitor.assessment.models import Assessment, PolicyDocument
from ictmonitor.core.translation import message as _
from ictmonitor.core.translation import month_name
from ictmonitor.incidents.selectors import learned_from
from ictmonitor.registry.models import Institution

IN_PLACE = 2
PRIMARY = "basis"  # registry.models.Level.BASIS
LOG_DAYS = 365  # the incident procedure reviews the incidents of the year before it
LANGUAGES = ("nl", "en")
DEFAULT_ROLE = _("the ICT coordinator")


def source_assessment(institution: Institution) -> Assessment | None:
    """The answers a document is written from: the latest submitted, else the one in progress."""
    return selectors.latest_submitted(institution) or selectors.draft_of(institution)


def long_date(moment: datetime, language: str) -> str:
    """`22 november 2026` / `22 November 2026`."""
    return f"{moment.day} {month_name(moment.month, language)} {moment.year}"


def _address(institution: Institution) -> str:
    main = institution.locations.order_by("-is_main", "number").first()
    if main is None:
        return ""
    street = " ".join(p for p in (main.street, main.house_number) if p)
    return ", ".join(p for p in (street, f"{main.postcode} {main.place}".strip()) if p)


def context(institution: Institution, assessment: Assessment | None, number: int,
            moment: datetime, actor: str, language: str) -> dict[str, Any]:
    """What a document template needs: the school, `has.CODE` / `level.CODE`, roles, actions."""
    levels = selectors.levels_of(assessment) if assessment else {}
    # The latest version's questions (a superset of older minor versions): a question the
    # school's version lacks reads as not in place yet.
    fw = selectors.current_framework()
    version = assessment.version if assessment else fw.version
    owners: dict[str, str] = {}
    if assessment is not None and assessment.status == Assessment.Status.SUBMITTED:
        owners = dict(assessment.actions.exclude(owner="").values_list("question", "owner"))
    key = {q.code.replace("-", "_"): q.code for q in fw.questions}
    return {
        "school": institution,
        "address": _address(institution),
        "province": (institution.province.name_en if language == "en"
                     else institution.province.name_nl) if institution.province else "",
        "board": institution.board,
        "number": number,
        "date": long_date(moment, language),
        "actor": actor,
        "has": {name: levels.get(code, 0) >= IN_PLACE for name, code in key.items()},
        "level": {name: levels.get(code, 0) for name, code in key.items()},
        # What the school does next for a question: its chosen answer's action.
        "todo": {name: fw.question(code).answer(levels.get(code, 0)).action.get(language)
                 for name, code in key.items()},
        "responsible": owners.get("policy-responsible-person") or DEFAULT_ROLE(language),
        "incident_owner": (owners.get("policy-incident-handling")
                           or owners.get("policy-responsible-person") or DEFAULT_ROLE(language)),
        "assessment": assessment,
        "version_of_framework": version,
        "language": language,
    }


def template_name(kind: str, institution: Institution, language: str) -> str:
    """A document's template: the pupils' policy in a primary school's own words where the
    school is a primary school, else the one of its kind."""
    if kind == PolicyDocument.Kind.ACCEPTABLE_USE and institution.level == PRIMARY:
        return f"assessment/policies/{kind}.primary.{language}.html"
    return f"assessment/policies/{kind}.{language}.html"


def render_body(kind: str, institution: Institution, assessment: Assessment | None,
                number: int, moment: datetime, actor: str, language: str) -> str:
    """A document's HTML body in one language."""
    if kind not in PolicyDocument.Kind.values:
        raise ValueError(f"no policy document {kind!r}")
    values = context(institution, assessment, number, moment, actor, language)
    if kind == PolicyDocument.Kind.INCIDENT_HANDLING:  # its review takes in the incident log
        day = moment.date()
        values["learned"] = learned_from(institution, day - timedelta(days=LOG_DAYS), day,
                                         language)
    with translation.override(language):
        return render_to_string(template_name(kind, institution, language), values).strip()


def render_bodies(kind: str, institution: Institution, assessment: Assessment | None,
                  number: int, moment: datetime, actor: str) -> dict[str, str]:
    """The document's body in every language, as stored per generation."""
    return {lang: render_body(kind, institution, assessment, number, moment, actor, lang)
            for lang in LANGUAGES}
