"""The error the assessment's rules raise; who acts, stamps and audits: core.recording."""

from __future__ import annotations

from ictmonitor.core.recording import WriteRefused


class AssessmentError(WriteRefused):
    """A write the assessment's rules refuse (see WriteRefused for `reason`)."""
