"""Every write of the assessment app, each recording who did it and when (Recorded + audit)."""

from ictmonitor.assessment.services.assessments import (
    Outcome,
    move_draft,
    refuse_superseded,
    save_answers,
    start_assessment,
    submit_assessment,
    superseded_by,
    unanswered,
    upgrade_assessment,
)
from ictmonitor.assessment.services.common import AssessmentError
from ictmonitor.assessment.services.documents import generate_document
from ictmonitor.assessment.services.evidence import (
    may_add_to as may_add_evidence,
)
from ictmonitor.assessment.services.evidence import (
    review_evidence,
    save_evidence,
)
from ictmonitor.assessment.services.labels import (
    award_label,
    give_tokens,
    may_award,
    revoke_label,
    settle_label,
)
from ictmonitor.assessment.services.plans import check_owner, update_action
from ictmonitor.core.recording import who

__all__ = [
    "AssessmentError", "Outcome", "award_label", "check_owner", "generate_document",
    "give_tokens", "may_add_evidence", "may_award", "move_draft", "refuse_superseded",
    "review_evidence", "revoke_label",
    "save_answers", "save_evidence", "settle_label", "start_assessment", "submit_assessment",
    "superseded_by",
    "unanswered", "update_action", "upgrade_assessment", "who",
]
