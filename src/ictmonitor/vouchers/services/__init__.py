"""Every write of the voucher ledger, each recording who did it and when (Recorded + audit)."""

from ictmonitor.core.recording import who
from ictmonitor.vouchers.services.codes import (
    extend_voucher,
    hand_out,
    note_problem,
    note_problems,
    record_activation,
)
from ictmonitor.vouchers.services.common import VoucherError
from ictmonitor.vouchers.services.ledger import (
    add_waves,
    allocate,
    create_wave,
    link_requests,
    request_vouchers,
    withdraw_request,
)
from ictmonitor.vouchers.services.reallocation import Move, plan_reallocation, reallocate
from ictmonitor.vouchers.services.waves import extend_wave

__all__ = [
    "Move", "VoucherError", "add_waves", "allocate", "create_wave", "extend_voucher",
    "extend_wave", "hand_out", "link_requests", "note_problem", "note_problems",
    "plan_reallocation", "reallocate", "record_activation", "request_vouchers", "who",
    "withdraw_request",
]
