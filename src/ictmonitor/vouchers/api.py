"""The voucher API: providers send their feed and report activations; everyone lists the codes
they may see (a provider its own, a school's people their schools', the department all)."""

from datetime import date
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ictmonitor.accounts.access import Role, role_of
from ictmonitor.api.auth import auth_user
from ictmonitor.api.common import CODE, NO_NUL, IsoDate, Pagination, errors
from ictmonitor.jobs.api import QUEUED, queued_response
from ictmonitor.vouchers.models import State, Voucher
from ictmonitor.vouchers.selectors import listed_vouchers, visible_vouchers
from ictmonitor.vouchers.services import VoucherError, record_activation

router = Router(tags=["vouchers"])
STATUS = {"not-found": 404, "conflict": 409, "refused": 400}


class VoucherOut(Schema):
    """A code as the ledger knows it; the pupil is never named, nor their reference shown."""

    provider: str
    code: str
    wave: str
    requested_by: str = Field(description="school, municipality or ocmw.")
    requester: str = Field(description="The requesting school's number or the REFNIS code.")
    school: str | None = Field(description="The school the pupil attends, when known.")
    state: str = Field(description=f"Today: one of {', '.join(State.values)}.")
    requested_on: date | None
    issued_on: date | None
    activated_on: date | None
    extended_until: date | None
    expires_on: date | None
    last_used_on: date | None
    handed_out: bool

    @staticmethod
    def resolve_provider(obj: Voucher) -> str:
        """The provider's code."""
        return str(obj.provider_id)

    @staticmethod
    def resolve_wave(obj: Voucher) -> str:
        """The wave's code."""
        return obj.wave.code

    @staticmethod
    def resolve_requester(obj: Voucher) -> str:
        """The requester's number."""
        if obj.requester_institution_id:
            return obj.requester_institution.number  # type: ignore[union-attr]
        return str(obj.requester_municipality_id)

    @staticmethod
    def resolve_school(obj: Voucher) -> str | None:
        """The pupil's school's number."""
        return obj.school.number if obj.school_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_state(obj: Voucher) -> str:
        """The state today."""
        return str(obj.state(timezone.localdate()))

    @staticmethod
    def resolve_handed_out(obj: Voucher) -> bool:
        """Whether the school handed the code to a pupil."""
        return bool(obj.handed_out_at or obj.pupil_ref)


class VoucherFilters(Schema):
    """Filters of the code list; all optional."""

    wave: str | None = Field(None, max_length=40, pattern=CODE, description="e.g. 2020-spring.")
    provider: str | None = Field(None, max_length=40, pattern=CODE)
    state: Literal[tuple(State.values)] | None = Field(  # type: ignore[valid-type]
        None, description="The state today.")


class ActivationIn(Schema):
    """One code activated by a pupil's family."""

    code: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    activated_on: IsoDate = Field(description="YYYY-MM-DD.")


@router.get("/vouchers", response={200: list[VoucherOut], **errors()}, summary="List codes",
            operation_id="list_vouchers")
@paginate(Pagination)
def list_vouchers(request: HttpRequest, filters: Query[VoucherFilters]) -> QuerySet[Voucher]:
    """The codes you may see, filtered, a page at a time."""
    return listed_vouchers(auth_user(request), wave=filters.wave, provider=filters.provider,
                           state=filters.state, day=timezone.localdate())


@router.post("/vouchers/feeds", response=QUEUED, summary="Send a voucher feed",
             operation_id="send_voucher_feed")
def send_feed(request: HttpRequest, response: HttpResponse, file: File[UploadedFile]) -> Any:
    """Queue a feed (contracts/vouchers.md) as a job: 202 with the job and its address (also in
    `Location`). Poll the job: it is imported whole or refused whole, its result lists each
    problem. A provider may send only its own codes."""
    return queued_response(request, response, file, "vouchers")


@router.post("/vouchers/activations", response={200: VoucherOut, **errors(400, 403, 404, 409)},
             summary="Report an activation", operation_id="report_voucher_activation")
def report_activation(request: HttpRequest, activation: ActivationIn) -> Any:
    """A provider reports that one of its codes was activated; a code is activated once."""
    user = auth_user(request)
    if role_of(user) != Role.PROVIDER or not user.provider_id:
        return Status(403, {"detail": "Only a provider reports activations, of its own codes."})
    try:
        voucher = record_activation(user.provider_id, activation.code,
                                    activation.activated_on, by=user)
    except VoucherError as refused:
        return Status(STATUS[refused.reason], {"detail": str(refused)})
    return visible_vouchers(user).get(pk=voucher.pk)
