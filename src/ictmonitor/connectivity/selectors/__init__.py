"""Reads of the connectivity app: lines and requests a user may see, their history, prices."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ictmonitor.accounts.access import visible_institutions, visible_rows
from ictmonitor.connectivity import catalogue, standards
from ictmonitor.connectivity.models import (
    CatalogueVersion,
    Module,
    ModulePrice,
    Offer,
    OfferPrice,
    PriceUnit,
    Provider,
    Request,
    Subscription,
    VoucherPrice,
)
from ictmonitor.core.models import AuditEntry
from ictmonitor.core.translation import language
from ictmonitor.registry import selectors as registry_selectors
from ictmonitor.registry.models import Institution, Location

LINE_TABLE = "connectivity.subscription"


def text(obj: Any, name: str) -> str:
    """A catalogue text (`name`, `does`, `risk`, `description`) in the page's language."""
    return str(getattr(obj, f"{name}_{language()}"))


def modules() -> list[Module]:
    """Every module in catalogue order, with what it requires."""
    return list(Module.objects.prefetch_related("requires"))


def module_names(mask: int, catalogue: list[Module]) -> list[str]:
    """The names of the modules in a bit mask, in the page's language, in catalogue order."""
    return [text(m, "name") for m in catalogue if mask & m.bit]


def version_in_force(day: date | None = None) -> CatalogueVersion | None:
    """The catalogue version in force on a day (today by default): the latest begun by then,
    else the earliest there is; None without any."""
    day = day or timezone.localdate()
    versions = CatalogueVersion.objects.select_related("programme_provider")
    return (versions.filter(valid_from__lte=day).order_by("-valid_from").first()
            or versions.order_by("valid_from").first())


class Prices:
    """The catalogue prices of one version (the one in force today unless given), read once, to
    price many lines; every version's, to price each line under its own."""

    def __init__(self, provider: str | None = None,
                 version: CatalogueVersion | None = None) -> None:
        offers = OfferPrice.objects.all()
        extras = ModulePrice.objects.all()
        if provider is not None:
            offers = offers.filter(provider_id=provider)
            extras = extras.filter(provider_id=provider)
        self.version = version or version_in_force()
        code = self.version.code if self.version else ""
        every = list(offers.select_related("offer", "provider"))
        self.tiers = [t for t in every if t.version_id == code]
        self.offers = {(p.provider_id, p.offer_id, p.download_mbps): p for p in self.tiers}
        self.versioned = {(p.version_id, p.provider_id, p.offer_id, p.download_mbps): p
                          for p in every}
        units = list(extras)
        self.module_prices = {(p.version_id, p.provider_id, p.module_id): p for p in units}
        self.modules = {(p.provider_id, p.module_id): p.monthly_eur for p in units
                        if p.version_id == code}

    def tiers_of(self, provider: str, offer: str) -> list[OfferPrice]:
        """The bandwidths (and prices) a provider sells an offer at, slowest first."""
        return sorted((t for t in self.tiers if (t.provider_id, t.offer_id) == (provider, offer)),
                      key=lambda t: t.download_mbps)

    def module(self, provider: str, module: str) -> Decimal | None:
        """A module's monthly price at a provider (per its unit), or None when it does not sell
        it."""
        return self.modules.get((provider, module))

    def unit(self, provider: str, module: str) -> str:
        """What a module's price is per at a provider: line, access point or device."""
        found = self.module_prices.get((self.version.code if self.version else "", provider,
                                        module))
        return found.unit if found else PriceUnit.LINE

    def offer_name(self, provider: str, offer: Offer) -> str:
        """The offer's name as this provider sells it: the programme's own name (SchoolNet,
        SchoolNet+) for the programme's provider, else what the offer is."""
        version = self.version
        if version and version.programme_provider_id == provider:
            own = (version.offer_names or {}).get(offer.code)
            if own:
                return str(own)
        return text(offer, "name")

    def line(self, provider: str, offer: str, download_mbps: int, codes: list[str],
             version: str | None = None) -> Decimal | None:
        """A line's monthly cost (without VAT) at the prices of its catalogue version (the one
        in force when not known), or None when that version has no price for it. A module
        priced per access point or device counts one: a feed does not say how many."""
        version = version or (self.version.code if self.version else "")
        tier = self.versioned.get((version, provider, offer, download_mbps))
        extras = [self.module_prices.get((version, provider, code)) for code in codes]
        if tier is None or None in extras:
            return None
        return tier.monthly_eur + sum((e.monthly_eur for e in extras if e is not None),
                                      Decimal("0"))


def voucher_prices(day: date) -> dict[str, Decimal]:
    """Provider code → what one home-internet voucher code costs a month (without VAT) under
    the catalogue version in force on a day; a provider without a price there is left out."""
    version = version_in_force(day)
    return dict(VoucherPrice.objects.filter(version=version)
                .values_list("provider_id", "monthly_eur")) if version else {}


def priced_providers() -> QuerySet[Provider]:
    """The providers the catalogue has prices for: those a school can ask for a line."""
    return Provider.objects.filter(offer_prices__isnull=False).distinct().order_by("name")


def active_on(day: date) -> Q:
    """The condition on lines active on a day (contracts/subscriptions.md)."""
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def visible_lines(user: Any) -> QuerySet[Subscription]:
    """The lines this user may see: a provider its own, schools theirs, the department all."""
    lines = Subscription.objects.select_related("provider", "offer", "location__institution")
    return visible_rows(user, lines, "location__institution")


def listed_lines(user: Any, *, school: str | None = None, provider: str | None = None,
                 active_on_day: date | None = None) -> QuerySet[Subscription]:
    """The lines this user may see of a school (its number, any case), a provider and active on
    a day (each optional), by provider and contract: the lines page and the API alike."""
    lines = visible_lines(user)
    if school and school.strip():
        lines = lines.filter(location__institution__number=school.strip().upper())
    if provider:
        lines = lines.filter(provider_id=provider)
    if active_on_day:
        lines = lines.filter(active_on(active_on_day))
    return lines.order_by("provider_id", "contract_id")


def visible_requests(user: Any) -> QuerySet[Request]:
    """The requests this user may see: a provider those sent to it, schools theirs, admins all."""
    found = Request.objects.select_related("provider", "offer", "location__institution", "line")
    return visible_rows(user, found, "location__institution")


def line_status(line: Subscription, today: date) -> str:
    """Whether a line is active, ended or not started yet, as a person reads it."""
    if line.ended_on and line.ended_on < today:
        return _("ended")
    if line.started_on is None or line.started_on > today:
        return _("not started yet")
    return _("active")


def describe_lines(lines: Any, catalogue: list[Module] | None = None) -> list[Subscription]:
    """Give each line `module_names` and `status`, for tables."""
    catalogue = modules() if catalogue is None else catalogue
    today = timezone.localdate()
    described = list(lines)
    for line in described:
        line.module_names = module_names(line.modules, catalogue)  # type: ignore[attr-defined]
        line.status = line_status(line, today)  # type: ignore[attr-defined]
    return described


def describe_requests(requests: Any, catalogue: list[Module] | None = None) -> list[Request]:
    """Give each request `module_names`, for tables."""
    catalogue = modules() if catalogue is None else catalogue
    described = list(requests)
    for request in described:
        request.module_names = module_names(request.modules, catalogue)  # type: ignore[attr-defined]
    return described


@dataclass
class LocationLines:
    """One location of a school with the lines a user may see there."""

    location: Location
    active: list[Subscription] = field(default_factory=list)
    other: list[Subscription] = field(default_factory=list)


def school_lines(user: Any, institution: Institution) -> list[LocationLines]:
    """The school's locations, each with its active and its ended or planned lines."""
    today = timezone.localdate()
    places = {loc.pk: LocationLines(loc)
              for loc in institution.locations.order_by("-is_main", "number")}
    lines = visible_lines(user).filter(location__institution=institution)
    active = set(lines.filter(active_on(today)).values_list("pk", flat=True))
    for line in describe_lines(lines.order_by("-started_on", "contract_id")):
        place = places[line.location_id]
        (place.active if line.pk in active else place.other).append(line)
    return list(places.values())


@dataclass
class HistoryRow:
    """One change to a line: when, by whom, and what went from what to what."""

    at: Any
    actor: str
    action: str
    changes: list[str]
    file: str = ""


FIELD_LABELS = {
    "location_id": gettext_lazy("location"), "offer_id": gettext_lazy("offer"),
    "download_mbps": gettext_lazy("download"), "upload_mbps": gettext_lazy("upload"),
    "modules": gettext_lazy("modules"), "requested_on": gettext_lazy("requested on"),
    "started_on": gettext_lazy("started on"), "ended_on": gettext_lazy("ended on"),
}


def line_history(lines: list[Subscription]) -> dict[int, list[HistoryRow]]:
    """Each line's history from the audit log, newest first: its changes and its first delivery."""
    keys = {f"{line.provider_id}/{line.contract_id}": line for line in lines}
    entries = AuditEntry.objects.filter(table=LINE_TABLE).select_related("import_run")
    changed = list(entries.filter(object_key__in=keys).order_by("-at", "-id"))
    # A feed records its new lines together under the key "*", at the moment it wrote them.
    created = {e.at: e for e in entries.filter(object_key="*",
                                               at__in={line.created_at for line in lines})}
    catalogue = modules()
    location_ids = {v for e in changed for v in (e.changes or {}).get("location_id", [])}
    places = {loc.pk: loc.number for loc in Location.objects.filter(pk__in=location_ids)}
    offers = {o.code: text(o, "name") for o in Offer.objects.all()}
    history: dict[int, list[HistoryRow]] = defaultdict(list)
    for entry in changed:
        line = keys[entry.object_key]
        changes = [_change(name, pair, catalogue, places, offers)
                   for name, pair in (entry.changes or {}).items()]
        history[line.pk].append(HistoryRow(entry.at, entry.actor, _("changed"), changes,
                                           _file(entry)))
    for line in lines:
        first = created.get(line.created_at)
        if first is not None:
            history[line.pk].append(HistoryRow(first.at, first.actor, _("first delivered"), [],
                                               _file(first)))
    return dict(history)


def _file(entry: AuditEntry) -> str:
    return entry.import_run.file_name if entry.import_run else ""


def _change(name: str, pair: Any, catalogue: list[Module], places: dict[int, str],
            offers: dict[str, str]) -> str:
    """`modules: Firewall → Firewall, Wi-Fi` for one changed column."""
    label = str(FIELD_LABELS.get(name, name.replace("_", " ")))
    old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
    return f"{label}: {_value(name, old, catalogue, places, offers)} → " \
           f"{_value(name, new, catalogue, places, offers)}"


def _value(name: str, value: Any, catalogue: list[Module], places: dict[int, str],
           offers: dict[str, str]) -> str:
    if value is None or value == "":
        return "—"
    if name == "modules":
        return ", ".join(module_names(int(value), catalogue)) or _("none")
    if name == "location_id":
        return places.get(value, str(value))
    if name == "offer_id":
        return offers.get(value, str(value))
    if name.endswith("_mbps"):
        return f"{value} Mbps"
    if name.endswith("_on"):
        return formats.date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    return str(value)


@dataclass
class ComparedLine:
    """One row of the comparison: a location and one active line there (None: no line known)."""

    location: Location
    line: Subscription | None = None
    flags: list[bool] = field(default_factory=list)
    cost: Decimal | None = None


@dataclass
class SchoolComparison:
    """One school of a board: its locations' active lines with their catalogue cost."""

    institution: Institution
    rows: list[ComparedLine]
    total: Decimal
    unpriced: bool


def board_comparison(user: Any) -> list[SchoolComparison]:
    """The user's schools side by side: per location its active lines and their monthly cost."""
    today = timezone.localdate()
    schools = visible_institutions(user).order_by("name", "number")
    lines = (Subscription.objects.select_related("provider", "offer")
             .filter(active_on(today), location__institution__in=schools)
             .order_by("provider__name", "contract_id"))
    catalogue = modules()
    per_location: dict[int, list[Subscription]] = defaultdict(list)
    for line in describe_lines(lines, catalogue):
        per_location[line.location_id].append(line)
    prices = Prices()
    places: dict[int, list[Location]] = defaultdict(list)
    for loc in Location.objects.filter(institution__in=schools).order_by("-is_main", "number"):
        places[loc.institution_id].append(loc)
    found = []
    for school in schools:
        rows = []
        for loc in places[school.pk]:
            rows += [ComparedLine(loc)] if not per_location[loc.pk] else [
                ComparedLine(loc, line, [bool(line.modules & m.bit) for m in catalogue],
                             prices.line(line.provider_id, line.offer_id, line.download_mbps,
                                         [m.code for m in catalogue if line.modules & m.bit],
                                         line.catalogue_version_id))
                for line in per_location[loc.pk]
            ]
        priced = [row.cost for row in rows if row.line is not None]
        found.append(SchoolComparison(
            school, rows, sum((c for c in priced if c is not None), Decimal("0")),
            unpriced=None in priced,
        ))
    return found


def offer_names(codes: Iterable[str], language: str) -> dict[str, str]:
    """Offer code → its name in Dutch or English, for the codes given."""
    field = "name_en" if language == "en" else "name_nl"
    return dict(Offer.objects.filter(code__in=list(codes)).values_list("code", field))


def module_names_by_code(codes: Iterable[str], language: str) -> dict[str, str]:
    """Module code → its name in Dutch or English, for the codes given."""
    field = "name_en" if language == "en" else "name_nl"
    return dict(Module.objects.filter(code__in=list(codes)).values_list("code", field))


def provider_names(codes: Iterable[str]) -> dict[str, str]:
    """Provider code → its name, for the codes given."""
    return dict(Provider.objects.filter(code__in=list(codes)).values_list("code", "name"))


def meets_standard(institution: Institution, download_mbps: float, upload_mbps: float | None,
                   *, school_year: str | None = None, standard: str | None = None,
                   ) -> standards.Verdict:
    """Whether a line of these speeds at the school meets the connectivity standard in force (or
    `standard`), judged at the school's level and its pupils of `school_year` (the latest
    counted when None) from the registry's enrolments."""
    chosen, school_levels = standards.in_force(standard)
    year = school_year or registry_selectors.latest_school_year()
    pupils = registry_selectors.institution_pupils(institution, year) if year else None
    return standards.judge(chosen, school_levels, registry_level=institution.level,
                           pupils=pupils, download_mbps=download_mbps, upload_mbps=upload_mbps)


@dataclass(frozen=True)
class Connection:
    """A school's active lines on a day taken together: how many, every module any of them
    has (a bit mask), and the fastest one's speeds."""

    lines: int
    modules: int
    download_mbps: int
    upload_mbps: int


def connections_of(institution_ids: Iterable[int], day: date | None = None,
                   ) -> dict[int, Connection]:
    """Institution id → its active lines on a day (today by default) taken together; a school
    without an active line is left out."""
    found = (Subscription.objects.filter(active_on(day or timezone.localdate()),
                                         location__institution_id__in=list(institution_ids))
             .values_list("location__institution_id", "modules", "download_mbps", "upload_mbps"))
    lines: dict[int, Connection] = {}
    for school, mask, down, up in found:
        seen = lines.get(school)
        if seen is None:
            lines[school] = Connection(1, mask, down, up)
            continue
        fastest = (down, up) if down > seen.download_mbps else (seen.download_mbps,
                                                                  seen.upload_mbps)
        lines[school] = Connection(seen.lines + 1, seen.modules | mask, *fastest)
    return lines


def standard_verdicts(institutions: Iterable[Institution], lines: dict[int, Connection],
                      ) -> dict[int, standards.Verdict]:
    """Institution id → its fastest active line judged against the standard in force (as
    `meets_standard` judges one school), for the schools that have a line; pupils are read
    once for all of them."""
    chosen, school_levels = standards.in_force()
    year = registry_selectors.latest_school_year()
    schools = [school for school in institutions if school.pk in lines]
    pupils = (registry_selectors.pupils_of_institutions([s.pk for s in schools], year)
              if year else {})
    return {school.pk: standards.judge(chosen, school_levels, registry_level=school.level,
                                       pupils=pupils.get(school.pk),
                                       download_mbps=lines[school.pk].download_mbps,
                                       upload_mbps=lines[school.pk].upload_mbps)
            for school in schools}


def waiting_requests(user: Any, institution: Institution | None = None) -> QuerySet[Request]:
    """The requests this user may see that wait for their provider (of one school, when given),
    oldest first."""
    found = visible_requests(user).filter(status=Request.Status.SUBMITTED)
    if institution is not None:
        found = found.filter(location__institution=institution)
    return found.order_by("submitted_at", "pk")


def schools_with_lines(days: Sequence[date], *, module_bit: int | None = None) -> list[int]:
    """How many institutions had an active line on each day (with a module, when its bit is
    given): one pass over the lines for every day."""
    found = Subscription.objects.all()
    if module_bit is not None:
        found = found.annotate(has_module=F("modules").bitand(module_bit)).filter(
            has_module__gt=0)
    counts = found.aggregate(**{f"d{i}": Count("location__institution_id", distinct=True,
                                               filter=active_on(day))
                                for i, day in enumerate(days)})
    return [counts[f"d{i}"] for i in range(len(days))]


@dataclass(frozen=True)
class Scorecard:
    """How a provider serves schools: its active lines and the schools they reach, the
    requests waiting and the oldest of them, those confirmed in the last `days` days and the
    median days they took."""

    lines: int
    schools: int
    waiting: int
    oldest_waiting: Any
    confirmed: int
    median_days_to_confirm: float | None
    days: int


def scorecard(user: Any, today: date | None = None, days: int = 90) -> Scorecard:
    """The scorecard of the lines and requests this user may see (a provider's own)."""
    today = today or timezone.localdate()
    active = visible_lines(user).filter(active_on(today))
    waiting = visible_requests(user).filter(status=Request.Status.SUBMITTED)
    since = day_start(today - timedelta(days=days))
    confirmed = list(visible_requests(user).filter(status=Request.Status.CONFIRMED,
                                                   confirmed_at__gte=since)
                     .values_list("submitted_at", "confirmed_at"))
    took = sorted((done - sent).total_seconds() / 86400 for sent, done in confirmed
                  if done is not None)
    return Scorecard(
        lines=active.count(),
        schools=active.values("location__institution_id").distinct().count(),
        waiting=waiting.count(),
        oldest_waiting=waiting.order_by("submitted_at").values_list("submitted_at",
                                                                    flat=True).first(),
        confirmed=len(took),
        median_days_to_confirm=statistics.median(took) if took else None,
        days=days,
    )


def day_start(day: date) -> Any:
    """The first moment of a day in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def standard_in_force(standard: str | None = None) -> standards.Standard:
    """The connectivity standard the settings choose (or `standard`), to name it."""
    return standards.in_force(standard)[0]


def judge_standard(registry_level: str | None, pupils: int | None, download_mbps: float,
                   upload_mbps: float | None, *, standard: str | None = None,
                   ) -> standards.Verdict:
    """Whether these speeds meet the standard in force (or `standard`) at a school of this
    registry level with these pupils (None: not known); for many lines at once, with the pupils
    read in bulk (registry.selectors.pupils_of_institutions)."""
    chosen, school_levels = standards.in_force(standard)
    return standards.judge(chosen, school_levels, registry_level=registry_level, pupils=pupils,
                           download_mbps=download_mbps, upload_mbps=upload_mbps)


def offers_of_institutions(day: date) -> dict[int, set[str]]:
    """Institution id → the offers of its lines active on a day; schools without one are
    left out (the map)."""
    found: dict[int, set[str]] = defaultdict(set)
    for institution, offer in (Subscription.objects.filter(active_on(day)).order_by()
                               .values_list("location__institution_id", "offer_id").distinct()):
        found[institution].add(offer)
    return dict(found)


def confirmed_requests(since: datetime) -> list[Request]:
    """Requests a provider confirmed at or after `since`, with their location, institution,
    offer and provider (notifications)."""
    return list(Request.objects.filter(status=Request.Status.CONFIRMED, confirmed_at__gte=since)
                .select_related("location__institution", "offer", "provider")
                .order_by("confirmed_at", "pk"))


def provider_with_code(code: str) -> Provider | None:
    """The provider with this code, or None."""
    return Provider.objects.filter(code=code).first()


def provider_codes() -> set[str]:
    """The code of every provider."""
    return set(Provider.objects.values_list("code", flat=True))


def modules_by_code(codes: Iterable[str]) -> dict[str, Module]:
    """The modules with these codes, by code (a code without one is left out)."""
    return {m.code: m for m in Module.objects.filter(code__in=list(codes))}


def location_lines(location_id: int) -> list[Subscription]:
    """Every line of a location, in the order they were made."""
    return list(Subscription.objects.filter(location_id=location_id).order_by("pk"))


def module_bit(code: str) -> int | None:
    """A module's bit in a line's mask, or None if there is no such module."""
    return Module.objects.filter(code=code).values_list("bit", flat=True).first()


def catalogue_module_codes() -> frozenset[str]:
    """The module codes connectivity's catalogue file names (data/catalogue.yaml), read from the
    file itself: a framework names them before the database holds any."""
    return frozenset(m["code"] for m in catalogue.read().get("modules") or [])


def meets_standard_outcome(registry_level: str | None, pupils: int | None, download_mbps: float,
                           upload_mbps: float | None, *, standard: str | None = None,
                           ) -> bool | None:
    """judge_standard's `meets` alone (True, False, None: cannot tell), without its reasons in
    words: fast enough for a report's thousands of line-months."""
    chosen, school_levels = standards.in_force(standard)
    return standards.outcome(chosen, school_levels, registry_level=registry_level,
                             pupils=pupils, download_mbps=download_mbps, upload_mbps=upload_mbps)


@dataclass(frozen=True)
class StandardQuery:
    """The standard in force as a query judges many lines with it (a year of line-months in
    one grouped query): its figure per registry level, as rows to join a school's level to,
    whether it has a rule per pupil (so the query reads the schools' pupils), and its
    decision as one SQL expression (standards.outcome_sql: 1 meets, 0 misses, NULL cannot
    tell; the same decisions as meets_standard)."""

    standard: standards.Standard
    levels: list[tuple[str, float, float]]  # registry level, download, upload

    @property
    def per_pupil(self) -> bool:
        return self.standard.per_pupil is not None

    def outcome(self, *, need_down: str, need_up: str, pupils: str, download: str,
                upload: str) -> tuple[str, list[float]]:
        return standards.outcome_sql(self.standard, need_down=need_down, need_up=need_up,
                                     pupils=pupils, download=download, upload=upload)


def standard_query(standard: str | None = None) -> StandardQuery:
    """The standard in force (or `standard`), read from the standards file, for a query."""
    chosen, school_levels = standards.in_force(standard)
    return StandardQuery(chosen, standards.level_figures(chosen, school_levels))


def school_line_modules(institution_id: int, day: date | None = None) -> tuple[set[str], set[str]]:
    """(the offers, the module codes) of a school's lines active on a day (today by default),
    all its locations together; two empty sets for a school without an active line."""
    found = (Subscription.objects.filter(active_on(day or timezone.localdate()),
                                         location__institution_id=institution_id)
             .values_list("offer_id", "modules"))
    offers: set[str] = set()
    mask = 0
    for offer, modules_mask in found:
        offers.add(offer)
        mask |= modules_mask
    codes = {m.code for m in Module.objects.all() if mask & m.bit} if mask else set()
    return offers, codes
