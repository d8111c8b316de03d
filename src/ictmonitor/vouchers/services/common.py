"""The error the ledger's rules raise; who acts, stamps and audits: core.recording."""

from __future__ import annotations

from ictmonitor.core.recording import WriteRefused


class VoucherError(WriteRefused):
    """A write the ledger's rules refuse (see WriteRefused for `reason`)."""
