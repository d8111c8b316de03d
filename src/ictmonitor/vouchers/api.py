"""The voucher API: providers send their feed and report activations; everyone lists the codes
they may see (a provider its own, a school's people their schools', the department all)."""

from datetime import date
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ictmonitor.accounts.access import SEES_EVERY_SCHOOL, role_of
from ictmonitor.accounts.models import Role
from ictmonitor.api.auth import auth_user
from ictmonitor.api.common import CODE, NO_NUL, IsoDate, Pagination, errors, refused_file
from ictmonitor.core.forms import max_upload_mb, too_large
from ictmonitor.core.problems import ImportRefused
from ictmonitor.vouchers.forms import import_upload
from ictmonitor.vouchers.models import State, Voucher
from ictmonitor.vouchers.selectors import listed_vouchers, visible_vouchers
from ictmonitor.vouchers.services import VoucherError, record_activation

router = Router(tags=["vouchers"])
STATUS = {"not-found": 404, "conflict": 409, "refused": 400}


class FeedOut(Schema):
    """An imported feed: what it did to the ledger."""

    import_id: int = Field(description="The import's number in the import history.")
    file: str
    rows: int = Field(description="Codes read.")
    created: int
    updated: int
    unchanged: int
    warnings: list[str]


class FeedRefusedOut(Schema):
    """A 422, as every API operation answers one: a feed refused whole (nothing was imported),
    each problem named by file, line and column; or a request without a file."""

    detail: list[dict[str, Any]] = Field(
        description="One entry per problem, with `loc` (\"file\", line, column), `msg` "
                    "(what) and `type`.")
    problems: list[str] = Field(default_factory=list,
                                description="FILE:LINE: column NAME: what is wrong, in file "
                                            "order.")
    total: int = Field(0, ge=0, description="How many problems the feed has (some may be left "
                                            "out of the list).")


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


@router.post("/vouchers/feeds",
             response={200: FeedOut, **errors(400, 403, 413), 422: FeedRefusedOut},
             summary="Send a voucher feed", operation_id="send_voucher_feed")
def send_feed(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Import a feed (contracts/vouchers.md) whole, or refuse it whole; a provider may send
    only its own codes."""
    user = auth_user(request)
    role = role_of(user)
    if role not in (Role.PROVIDER, *SEES_EVERY_SCHOOL) or (
            role == Role.PROVIDER and not user.provider_id):
        return Status(403, {"detail": "Only a provider or the department may send voucher "
                                        "feeds."})
    if too_large(file):
        return Status(413, {"detail": f"Feeds of at most {max_upload_mb():g} MB are accepted."})
    confined = user.provider_id if role == Role.PROVIDER else None
    try:
        run = import_upload(file, user, confined)
    except ImportRefused as refused:
        return Status(422, refused_file(refused.problems))
    return {"import_id": run.pk, "file": run.file_name, "rows": run.rows,
            "created": run.created, "updated": run.updated, "unchanged": run.unchanged,
            "warnings": run.warnings}


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
