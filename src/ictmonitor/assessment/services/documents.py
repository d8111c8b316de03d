"""Generating a policy document: each generation is stored with its number, date and author."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.assessment import policies
from ictmonitor.assessment.models import PolicyDocument
from ictmonitor.assessment.services.common import AssessmentError
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.recording import audit, who

TABLE = "assessment.policydocument"
ATTEMPTS = 3


def generate_document(institution: Any, kind: str, *, by: Any,
                      now: datetime | None = None) -> PolicyDocument:
    """Write the school's document of a kind from its current answers as a new version."""
    if kind not in PolicyDocument.Kind.values:
        raise AssessmentError(_("There is no such document."), "not-found")
    now = now or timezone.now()
    user, actor = who(by)
    assessment = policies.source_assessment(institution)
    for _attempt in range(ATTEMPTS):  # two generations at once: the later takes the next number
        number = (PolicyDocument.objects.filter(institution=institution, kind=kind)
                  .aggregate(last=Max("number"))["last"] or 0) + 1
        bodies = policies.render_bodies(kind, institution, assessment, number,
                                        timezone.localtime(now), actor)
        try:
            with transaction.atomic():
                document = PolicyDocument.objects.create(
                    institution=institution, kind=kind, number=number, assessment=assessment,
                    created_at=now, created_by=user, actor=actor, body_nl=bodies["nl"],
                    body_en=bodies["en"])
                audit(by, now, AuditEntry.Action.CREATE, TABLE,
                      f"{institution.number}/{kind}/{number}",
                      {"number": (None, number),
                       "assessment": (None, assessment.cycle if assessment else None)})
            return document
        except IntegrityError:
            continue
    raise AssessmentError(_("Someone else is generating this document; try again."), "conflict")
