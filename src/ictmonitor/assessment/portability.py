"""A school's whole history in one document: assessments with answers and scores, plans,
labels and policy documents, so that it never again loses it when a platform closes."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from ictmonitor.assessment import evidence_files, labels, selectors
from ictmonitor.assessment.models import Assessment, Evidence, Label, PolicyDocument

# /2: every answer's comments and evidence (each version, with its review and its document),
# and the plan's focus and reached; /1 had neither.
FORMAT = "ictmonitor-assessment-history/2"


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _moment(value: Any) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _assessment(assessment: Assessment, files: dict[str, str]) -> dict[str, Any]:
    fw = selectors.framework_of(assessment)
    levels, marks = selectors.levels_of(assessment), selectors.marks_of(assessment)
    return {
        "cycle": assessment.cycle, "framework": assessment.framework,
        "version": assessment.version, "upgraded_from": assessment.upgraded_from or None,
        "status": assessment.status, "started_at": _moment(assessment.created_at),
        "submitted_at": _moment(assessment.submitted_at),
        "overall_score": _round(assessment.overall_score),
        "area_scores": {a: _round(s) for a, s in assessment.area_scores.values_list(
            "area", "score")},
        "previous_actions_done": assessment.actions_done,
        "answers": [{"question": q.code, "area": q.area, "level": levels.get(q.code),
                     "mark": marks.get(q.code, ""), "text": q.text.get("nl")}
                    for q in fw.questions],
        "evidence": _evidence(assessment, files),
        "plan": [{"position": a.position, "question": a.question, "area": a.area,
                  "level": a.level, "critical_gap": a.critical_gap, "priority": a.priority,
                  "owner": a.owner, "due_on": _day(a.due_on), "status": a.status,
                  "done_on": _day(a.done_on), "focus": a.focus, "reached": a.reached}
                 for a in assessment.actions.all()],
    }


def _document(item: Evidence, files: dict[str, str]) -> dict[str, Any] | None:
    """An evidence version's document: its name, type, size, SHA-256 and its bytes (base64),
    so the school takes it along; `missing` when the file is gone from the server. A file is
    read and its bytes given once per export (`files`: path → SHA-256 of those given): a
    version that keeps an earlier version's document (every later version does, and the next
    cycle's first) gives its SHA-256 and `content_base64` null."""
    if not item.document_path:
        return None
    found = {"name": item.document_name, "content_type": item.document_type,
             "size": item.document_size}
    if item.document_path in files:
        return {**found, "sha256": files[item.document_path], "content_base64": None}
    path = evidence_files.path_of(item.document_path)
    if path is None:
        return {**found, "missing": True}
    content = path.read_bytes()
    digest = files[item.document_path] = hashlib.sha256(content).hexdigest()
    return {**found, "sha256": digest,
            "content_base64": base64.b64encode(content).decode("ascii")}


def _evidence(assessment: Assessment, files: dict[str, str]) -> list[dict[str, Any]]:
    """Every version of every answer's comment and evidence, oldest first per question."""
    return [{"question": item.question, "version": item.number, "comment": item.comment,
             "evidence": item.text, "link": item.link or None, "document": _document(item, files),
             "written_at": _moment(item.created_at), "written_by": item.actor,
             "review": item.review or None, "reviewed_at": _moment(item.reviewed_at),
             "reviewed_by": item.reviewer or None, "review_reason": item.review_reason or None}
            for item in assessment.evidence.order_by("question", "number")]


def _round(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def _label(label: Label, today: Any, address: Callable[[str], str]) -> dict[str, Any]:
    return {
        "level": label.level, "awarded_on": _day(label.awarded_on),
        "valid_until": _day(label.valid_until),
        "status": labels.status(label.awarded_on, label.valid_until, label.revoked_at, today),
        "framework_version": label.framework_version or None,
        "carried_over": label.carried_over,
        "assessment_cycle": label.assessment.cycle if label.assessment else None,
        "revoked_at": _moment(label.revoked_at), "revoked_reason": label.revoked_reason or None,
        "verification_url": address(label.token) if label.token else None,
    }


def history(institution: Any, address: Callable[[str], str]) -> dict[str, Any]:
    """Everything the school has here, as plain data (`address(token)` is a label's page)."""
    today = timezone.localdate()
    assessments = Assessment.objects.filter(institution=institution).order_by("cycle")
    documents = (PolicyDocument.objects.filter(institution=institution)
                 .order_by("kind", "number"))
    files: dict[str, str] = {}  # each evidence document's bytes once: path → SHA-256
    return {
        "format": FORMAT,
        "exported_at": _moment(timezone.now()),
        "school": {"number": institution.number, "name": institution.name,
                   "level": institution.level, "province": institution.province_id},
        "assessments": [_assessment(a, files) for a in assessments],
        "labels": [_label(label, today, address)
                   for label in selectors.school_labels(institution).order_by("awarded_on")],
        "documents": [{"kind": d.kind, "number": d.number, "created_at": _moment(d.created_at),
                       "created_by": d.actor, "body_nl": d.body_nl, "body_en": d.body_en}
                      for d in documents],
    }
