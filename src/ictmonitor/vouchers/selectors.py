"""Reads of the voucher ledger: a school's codes, a provider's allocations, the department's
waves, activation gaps and times, and the figures of the voucher-summary report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ictmonitor.accounts.access import visible_rows
from ictmonitor.connectivity import selectors as connectivity_selectors
from ictmonitor.core.translation import Message
from ictmonitor.core.translation import message as _
from ictmonitor.registry.models import Institution
from ictmonitor.registry.selectors import grouped, institution_pupils, school_year_of
from ictmonitor.vouchers.models import (
    WAVE_ORDER,
    Allocation,
    Problem,
    Request,
    RequesterType,
    State,
    Voucher,
    Wave,
    alive,
)


def state_q(state: str, day: date) -> Q:
    """The codes in a state on a day, as Voucher.state decides it."""
    expired = Q(issued_on__isnull=False) & ~alive(day)
    handed = Q(handed_out_at__isnull=False) | ~Q(pupil_ref="")
    conditions = {
        State.EXPIRED: expired,
        State.EXTENDED: ~expired & Q(extended_until__isnull=False),
        State.ACTIVATED: ~expired & Q(extended_until__isnull=True, activated_on__isnull=False),
        State.HANDED_OUT: ~expired & Q(activated_on__isnull=True, issued_on__isnull=False)
        & handed,
        State.ISSUED: ~expired & Q(activated_on__isnull=True, issued_on__isnull=False) & ~handed,
        State.REQUESTED: Q(issued_on__isnull=True),
    }
    return conditions[State(state)]


def visible_vouchers(user: Any) -> QuerySet[Voucher]:
    """The codes this user may see: the department every one, a provider its own, a school its
    requester's."""
    found = Voucher.objects.select_related("wave", "requester_institution", "school")
    return visible_rows(user, found, "requester_institution")


def listed_vouchers(user: Any, *, wave: str | None = None, provider: str | None = None,
                    state: str | None = None, day: date | None = None) -> QuerySet[Voucher]:
    """The codes this user may see of a wave, a provider and a state on a day (each optional),
    by provider and code."""
    found = visible_vouchers(user)
    if wave:
        found = found.filter(wave__code=wave)
    if provider:
        found = found.filter(provider_id=provider)
    if state:
        found = found.filter(state_q(state, day or timezone.localdate()))
    return found.order_by("provider_id", "code")


def open_waves(day: date | None = None) -> list[Wave]:
    """The waves taking requests on a day (today by default)."""
    day = day or timezone.localdate()
    return [w for w in Wave.objects.filter(opens_on__lte=day).order_by("code") if w.is_open(day)]


def wave_by_code(code: str | None) -> Wave | None:
    """The wave with this code, else the most recent one (None when there is none)."""
    waves = Wave.objects.order_by(*WAVE_ORDER)
    return (waves.filter(code=code).first() if code else None) or waves.first()


def school_requests(institution: Any) -> QuerySet[Request]:
    """A school's requests, newest wave first, with the codes each got."""
    return (Request.objects.filter(institution=institution).select_related("wave")
            .annotate(codes=Count("vouchers"))
            .order_by(F("wave__opens_on").desc(nulls_last=True), "-id"))


def pupil_count(institution: Any, day: date) -> tuple[str, int | None]:
    """The school year of a day and the school's pupils in it, which caps its requests (None:
    no count of that year is known)."""
    year = school_year_of(day)
    return year, institution_pupils(institution, year)


def school_vouchers(institution: Any, state: str = "", day: date | None = None
                    ) -> QuerySet[Voucher]:
    """The codes a school asked for, in a state if asked, newest wave first."""
    found = (Voucher.objects.filter(requester_institution=institution)
             .select_related("wave", "provider", "school"))
    if state:
        found = found.filter(state_q(state, day or timezone.localdate()))
    return found.order_by(F("wave__opens_on").desc(nulls_last=True), "provider_id", "code")


def letter_vouchers(institution: Any, chosen: Sequence[int] = ()) -> list[Voucher]:
    """The school's handed-out codes still valid today to print letters for (an expired code
    gets none): the chosen ones, else every one not yet activated; by pupil reference."""
    found = (Voucher.objects.filter(alive(timezone.localdate()),
                                    requester_institution=institution)
             .exclude(pupil_ref="").select_related("provider", "wave"))
    found = (found.filter(pk__in=list(chosen)) if chosen
             else found.filter(activated_on__isnull=True))
    return list(found.order_by("pupil_ref", "provider_id", "code"))


def waves_overview() -> list[dict[str, Any]]:
    """Every wave with its requests and codes: asked, allocated, issued, handed out, activated."""
    codes = {row["wave"]: row for row in Voucher.objects.order_by().values("wave").annotate(
        vouchers=Count("pk"), issued=Count("pk", filter=Q(issued_on__isnull=False)),
        handed_out=Count("pk", filter=Q(handed_out_at__isnull=False) | ~Q(pupil_ref="")),
        activated=Count("pk", filter=Q(activated_on__isnull=False)),
        extended=Count("pk", filter=Q(extended_until__isnull=False)))}
    asked = {row["wave"]: row for row in Request.objects.exclude(
        status=Request.Status.WITHDRAWN).order_by().values("wave").annotate(
        requests=Count("pk"), pupils=Sum("pupils"))}
    activated: dict[int, dict[str, int]] = defaultdict(dict)
    for wave_id, provider, n in (Voucher.objects.filter(activated_on__isnull=False).order_by()
                                 .values_list("wave", "provider").annotate(n=Count("pk"))):
        activated[wave_id][provider] = n
    out = []
    for wave in Wave.objects.prefetch_related("providers").order_by(*WAVE_ORDER):
        row: dict[str, Any] = {"wave": wave, "requests": 0, "pupils": 0, "vouchers": 0,
                               "issued": 0, "handed_out": 0, "activated": 0, "extended": 0}
        row.update({k: v for k, v in codes.get(wave.pk, {}).items() if k != "wave"})
        row.update({k: v or 0 for k, v in asked.get(wave.pk, {}).items() if k != "wave"})
        row["rate"] = row["activated"] / row["issued"] if row["issued"] else None
        row.update(_wave_cost(wave, activated[wave.pk]))
        out.append(row)
    return out


def _wave_cost(wave: Wave, activated: dict[str, int]) -> dict[str, Any]:
    """What a code of the wave costs a month at each provider (the provider's catalogue in
    force when the wave opened), and what its activated codes cost together a month (None
    when a provider with activated codes has no price)."""
    prices = connectivity_selectors.voucher_prices(wave.opens_on or timezone.localdate())
    known = all(provider in prices for provider in activated)
    return {"prices": sorted(prices.items()),
            "monthly_cost": sum((prices[p] * n for p, n in activated.items()), Decimal("0"))
            if known else None}


def wave_requests(wave: Wave) -> QuerySet[Request]:
    """A wave's requests with their allocations and how many codes they got."""
    return (Request.objects.filter(wave=wave).select_related("institution", "municipality")
            .prefetch_related("allocations").annotate(codes=Count("vouchers"))
            .order_by("status", "created_at", "id"))


def provider_allocations(provider: str) -> QuerySet[Allocation]:
    """What the department gave a provider to issue, with the codes it issued and activated.

    Each count is a subquery on the request's codes (the index voucher_request_codes answers
    it alone), not a join grouped by every selected column: a page of 100 of a provider's
    allocations at national scale takes 30 ms instead of 700."""

    def codes(**state: Any) -> Coalesce:
        found = (Voucher.objects.filter(request_id=OuterRef("request_id"), provider_id=provider,
                                        **state)
                 .order_by().values("request_id").annotate(n=Count("pk")).values("n"))
        return Coalesce(Subquery(found), Value(0))

    return (Allocation.objects.filter(provider_id=provider)
            .select_related("request__wave", "request__institution", "request__municipality")
            .annotate(issued=codes(issued_on__isnull=False),
                      activated=codes(activated_on__isnull=False))
            .order_by(F("request__wave__opens_on").desc(nulls_last=True),
                      "request__created_at", "request_id"))


def provider_waves(provider: str) -> list[dict[str, Any]]:
    """A provider's codes per wave (its code and names): issued, activated, rate."""
    # Counted per wave id in the order of the index voucher_provider_waves (no sort, no table
    # lookups), then named.
    counts = (Voucher.objects.filter(provider_id=provider).order_by("wave_id").values("wave_id")
              .annotate(vouchers=Count("pk"), issued=Count("pk", filter=Q(issued_on__isnull=False)),
                        activated=Count("pk", filter=Q(activated_on__isnull=False))))
    waves = {wave.pk: wave for wave in Wave.objects.filter(pk__in=[c["wave_id"] for c in counts])}
    rows = []
    for found in counts:
        wave = waves[found["wave_id"]]
        rows.append({"wave__code": wave.code, "wave__name_nl": wave.name_nl,
                     "wave__name_en": wave.name_en, "vouchers": found["vouchers"],
                     "issued": found["issued"], "activated": found["activated"],
                     "rate": found["activated"] / found["issued"] if found["issued"] else None})
    return sorted(rows, key=lambda row: row["wave__code"])


GAP_SORTS = {"rate", "issued", "activated", "handed_out", "requester"}


def activation_gap(wave: Wave | None, sort: str = "rate", descending: bool = False,
                   minimum: int = 1) -> list[dict[str, Any]]:
    """Each requester's codes in a wave (all waves: None): issued, handed out, activated and the
    activation rate, lowest rate first unless sorted otherwise."""
    found = Voucher.objects.filter(issued_on__isnull=False)
    if wave is not None:
        found = found.filter(wave=wave)
    # .values() rows are plain dicts, and get more keys here; the plugin types them as TypedDicts.
    rows = cast(list[dict[str, Any]], list(found.order_by().values(
        "requested_by", "requester_institution__number", "requester_institution__name",
        "requester_municipality_id", "requester_municipality__name_nl",
    ).annotate(
        issued=Count("pk"),
        handed_out=Count("pk", filter=Q(handed_out_at__isnull=False) | ~Q(pupil_ref="")),
        activated=Count("pk", filter=Q(activated_on__isnull=False)),
    ).filter(issued__gte=minimum)))
    for row in rows:
        row["rate"] = row["activated"] / row["issued"]
        row["number"] = row["requester_institution__number"] or row["requester_municipality_id"]
        row["name"] = (row["requester_institution__name"]
                       or row["requester_municipality__name_nl"] or "")
        row["requester"] = row["name"].lower()
    sort = sort if sort in GAP_SORTS else "rate"
    rows.sort(key=lambda r: (r[sort], r["requester"], r["number"]), reverse=descending)
    return rows


def activation_times(wave: Wave | None = None, provider: str | None = None
                     ) -> list[dict[str, Any]]:
    """Per provider (or the one given): codes activated, and the median and 90th percentile of
    the days from issue to activation (counted in the database per number of days)."""
    found = Voucher.objects.filter(activated_on__isnull=False, issued_on__isnull=False)
    if wave is not None:
        found = found.filter(wave=wave)
    if provider is not None:
        found = found.filter(provider_id=provider)
    days = ExpressionWrapper(F("activated_on") - F("issued_on"), output_field=DurationField())
    histogram: dict[str, dict[int, int]] = defaultdict(dict)
    for row in found.order_by().annotate(days=days).values("provider_id", "days").annotate(
            n=Count("pk")):
        histogram[row["provider_id"]][row["days"].days] = row["n"]
    return [{"provider": provider, "activated": sum(counts.values()),
             "median": quantile(counts, 0.5), "p90": quantile(counts, 0.9)}
            for provider, counts in sorted(histogram.items())]


def quantile(counts: dict[int, int], q: float) -> int | None:
    """The q-quantile (nearest rank) of values given as {value: how often}."""
    total = sum(counts.values())
    if not total:
        return None
    rank = max(1, -(-int(q * total * 1000) // 1000))  # ceil(q * total), without float drift
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return None


# voucher-summary: a voucher's school is the pupil's, else the requesting school (`unit`); its
# level and province are that school's, else the requesting municipality's province.
SUMMARY_PATHS = {
    "wave": "wave__code", "school": "unit__number", "level": "unit__level",
    "province": "province", "requested_by": "requested_by", "provider": "provider_id",
}
SUMMARY_COUNTS = ("requested", "issued", "activated", "extended")


def summarise(by: Sequence[str], at: date) -> list[dict[str, Any]]:
    """Codes requested, issued, activated and extended by `at`, per dimension values."""
    found = Voucher.objects.filter(Q(requested_on__isnull=True) | Q(requested_on__lte=at))
    if "province" in by:
        found = found.annotate(province=Coalesce("unit__province_id",
                                                 "requester_municipality__province_id"))
    # Schools are grouped by id, in the order of the index voucher_unit_dates, then named.
    rows = grouped(
        found, {**SUMMARY_PATHS, "school": "unit_id"}, by,
        requested=Count("pk"),
        issued=Count("pk", filter=Q(issued_on__lte=at)),
        activated=Count("pk", filter=Q(activated_on__lte=at)),
        extended=Count("pk", filter=Q(activated_on__lte=at, extended_until__isnull=False)),
    )
    if "school" in by:
        numbers = institution_numbers({row["school"] for row in rows} - {None})
        for row in rows:
            row["school"] = numbers.get(row["school"])
    return rows


def institution_numbers(ids: set[int]) -> dict[int, str]:
    """The institution number of each id."""
    found: dict[int, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 5000):
        found.update(Institution.objects.filter(pk__in=ordered[start:start + 5000])
                     .values_list("pk", "number"))
    return found


def wave_names(codes: set[str], language: str) -> dict[str, str]:
    """Display names of waves by code."""
    field = "name_en" if language == "en" else "name_nl"
    return {code: name or code
            for code, name in Wave.objects.filter(code__in=codes).values_list("code", field)}


REQUESTER_NAMES: dict[str, Message] = {
    RequesterType.SCHOOL: _("school"),
    RequesterType.MUNICIPALITY: _("municipality"),
    RequesterType.OCMW: _("social welfare centre (OCMW)"),
}


def requester_names(codes: set[str], language: str) -> dict[str, str]:
    """Display names of requester types by code."""
    return {c: REQUESTER_NAMES[c](language) for c in codes if c in REQUESTER_NAMES}


def waiting_school_requests(institution: Any) -> QuerySet[Request]:
    """A school's requests still waiting for allocation, newest wave first."""
    return school_requests(institution).filter(status=Request.Status.SUBMITTED)


# voucher-funnel: codes counted as voucher-summary counts them (a code's school is `unit`), and
# what was asked as the requests say it. A request's codes asked are counted under its
# requester and split over the providers it was allocated to (the rest under no provider); a
# code that came in by a feed without a request is a demand of one code of its own.
FUNNEL_COUNTS = ("requested", "issued", "handed_out", "activated", "used_last_30_days",
                 "extended")
REQUEST_PATHS = {
    "wave": "request__wave__code", "school": "request__institution_id",
    "level": "request__institution__level", "province": "province",
    "requested_by": "request__requested_by", "provider": "provider_id",
}
USE_WINDOW_DAYS = 30


def funnel(by: Sequence[str], at: date) -> list[dict[str, Any]]:
    """Per dimension values: the codes asked for by `at`, and of the codes those issued, handed
    out (a code activated was handed out), activated, used in the 30 days up to `at`, and
    activated and extended."""
    codes = summarise(by, at)  # requested, issued, activated, extended: as voucher-summary
    found = Voucher.objects.filter(Q(requested_on__isnull=True) | Q(requested_on__lte=at))
    if "province" in by:
        found = found.annotate(province=Coalesce("unit__province_id",
                                                 "requester_municipality__province_id"))
    handed = Q(issued_on__lte=at) & (Q(activated_on__lte=at) | Q(handed_out_at__date__lte=at)
                                     | (Q(handed_out_at__isnull=True) & ~Q(pupil_ref="")))
    recent = Q(last_used_on__lte=at, last_used_on__gt=at - timedelta(days=USE_WINDOW_DAYS))
    more = grouped(found, {**SUMMARY_PATHS, "school": "unit_id"}, by,
                   handed_out=Count("pk", filter=handed),
                   used_last_30_days=Count("pk", filter=recent & Q(activated_on__lte=at)),
                   unrequested=Count("pk", filter=Q(request__isnull=True)))
    if "school" in by:
        numbers = institution_numbers({row["school"] for row in more} - {None})
        for row in more:
            row["school"] = numbers.get(row["school"])
    cells: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in codes:
        cells[tuple(row[d] for d in by)] = {**row, "requested": 0}
    for row in more:
        cell = cells.setdefault(tuple(row[d] for d in by), {**dict.fromkeys(FUNNEL_COUNTS, 0),
                                                           **{d: row[d] for d in by}})
        cell.update(handed_out=row["handed_out"], used_last_30_days=row["used_last_30_days"])
        cell["requested"] += row["unrequested"]
    for row in _asked(by, at):
        cell = cells.setdefault(tuple(row[d] for d in by), {**dict.fromkeys(FUNNEL_COUNTS, 0),
                                                           **{d: row[d] for d in by}})
        cell["requested"] += row["asked"]
    return list(cells.values())


def _asked(by: Sequence[str], at: date) -> list[dict[str, Any]]:
    """Codes asked for by `at` (requests not withdrawn), per dimension values: each request's
    allocations under their providers, what no provider was given under none."""
    asked = (Request.objects.exclude(status=Request.Status.WITHDRAWN)
             .filter(Q(requested_on__lte=at)
                     | Q(requested_on__isnull=True, created_at__date__lte=at)))
    paths = {d: p.removeprefix("request__") for d, p in REQUEST_PATHS.items()}
    given = Allocation.objects.filter(request__in=asked)
    if "province" in by:
        asked = asked.annotate(province=Coalesce("institution__province_id",
                                                 "municipality__province_id"))
        given = given.annotate(province=Coalesce("request__institution__province_id",
                                                 "request__municipality__province_id"))
    others = [d for d in by if d != "provider"]
    total = grouped(asked, paths, others, asked=Sum("pupils"))
    allocated = grouped(given, REQUEST_PATHS, by, asked=Sum("codes"))
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in total:
        rows[tuple(row.get(d) for d in by)] = {**row, "provider": None, "asked": row["asked"] or 0}
    if "provider" in by:
        for row in allocated:
            key = tuple(row.get(d) if d != "provider" else None for d in by)
            if key in rows:
                rows[key]["asked"] -= row["asked"] or 0
            rows[tuple(row[d] for d in by)] = {**row, "asked": row["asked"] or 0}
    found = [row for row in rows.values() if row["asked"] > 0 or row.get("provider")]
    if "school" in by:
        numbers = institution_numbers({row["school"] for row in found} - {None})
        for row in found:
            row["school"] = numbers.get(row["school"])
    return found


# voucher-reasons: codes issued and not activated by a day, by the reason their school recorded.
NOT_RECORDED = "not-recorded"


def not_activated(by: Sequence[str], at: date) -> list[dict[str, Any]]:
    """Codes issued by `at` and not activated by then, per dimension values; `reason` is what
    the school recorded (`not-recorded` when nothing)."""
    found = Voucher.objects.filter(issued_on__lte=at).exclude(activated_on__lte=at)
    if "province" in by:
        found = found.annotate(province=Coalesce("unit__province_id",
                                                 "requester_municipality__province_id"))
    rows = grouped(found, {**SUMMARY_PATHS, "reason": "problem"}, by, codes=Count("pk"))
    for row in rows:
        if "reason" in by and not row["reason"]:
            row["reason"] = NOT_RECORDED
    return rows


REASON_NAMES: dict[str, Message] = {
    Problem.NO_LONGER_NEEDED: _("no longer needed"),
    Problem.DECLINED: _("the family declined"),
    Problem.NO_COVERAGE: _("no coverage at home"),
    Problem.PUPIL_LEFT: _("the pupil left the school"),
    Problem.UNKNOWN: _("unknown"),
    NOT_RECORDED: _("not recorded"),
}


def reason_names(codes: set[str], language: str) -> dict[str, str]:
    """Display names of the reasons a code was not activated, by code."""
    return {c: REASON_NAMES[c](language) for c in codes if c in REASON_NAMES}
