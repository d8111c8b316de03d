"""The coordinator's "my school": everything about one school on one page, and what to do next
first. Read through the owning apps' selectors only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ictmonitor.assessment import selectors as assessment
from ictmonitor.connectivity import selectors as connectivity
from ictmonitor.core.translation import language
from ictmonitor.incidents import selectors as incidents
from ictmonitor.measurements import selectors as measurements
from ictmonitor.registry.models import Institution
from ictmonitor.vouchers import selectors as vouchers

# A label this close to its end date asks to be renewed.
LABEL_RENEWAL_DAYS = 60
INCIDENTS_SHOWN = 5


@dataclass(frozen=True)
class Step:
    """One thing to do next: what, why, and where to do it."""

    text: str
    url: str
    urgent: bool = False


@dataclass
class MeasuredLine:
    """An active line with its newest month's measured quality (None: not measured lately)."""

    line: Any
    measured: measurements.RecentQuality | None

    @property
    def share(self) -> float | None:
        """The measured speed as a share of the contracted download."""
        return self.measured.share_of_contract if self.measured is not None else None

    @property
    def below_contract(self) -> bool:
        """Judged (10 tests or more) and measured below 80 % of the contracted download."""
        return self.measured is not None and self.measured.meets_contract is False


@dataclass
class SchoolHome:
    """What the school's home shows."""

    institution: Institution
    lines: list[MeasuredLine]
    modules: list[tuple[str, bool]]
    verdict: Any
    safety: assessment.SchoolSafety
    focus: list[tuple[Any, str]]
    line_requests: list[Any]
    voucher_requests: list[Any]
    open_waves: list[Any]
    incidents: list[Any]
    incidents_total: int
    documents: list[Any]
    alerts: int = 0
    steps: list[Step] = field(default_factory=list)

    @property
    def label_days_left(self) -> int | None:
        """Days until the label expires (None without one)."""
        label = self.safety.label
        return (label.valid_until - timezone.localdate()).days if label is not None else None


def school_home(user: Any, institution: Institution, today: date | None = None) -> SchoolHome:
    """Everything the school's home shows, read for this user."""
    today = today or timezone.localdate()
    catalogue = connectivity.modules()
    active = connectivity.describe_lines(
        connectivity.visible_lines(user).filter(connectivity.active_on(today),
                                                location__institution=institution)
        .order_by("location__number", "provider__name"), catalogue)
    speeds = measurements.recent_line_quality(Q(line_id__in=[line.pk for line in active]),
                                              today)
    joined = connectivity.connections_of([institution.pk], today).get(institution.pk)
    verdict = (connectivity.standard_verdicts([institution], {institution.pk: joined})
               .get(institution.pk) if joined is not None else None)
    mask = joined.modules if joined is not None else 0
    safety = assessment.safety_of([institution.pk], today)[institution.pk]
    requested = {request.wave_id for request in vouchers.school_requests(institution)}
    found_incidents = incidents.incidents_of(institution)
    home = SchoolHome(
        institution=institution,
        lines=[MeasuredLine(line, speeds.get(line.pk)) for line in active],
        modules=[(connectivity.text(m, "name"), bool(mask & m.bit)) for m in catalogue],
        verdict=verdict,
        safety=safety,
        focus=assessment.open_focus_actions(safety.assessment),
        line_requests=connectivity.describe_requests(
            connectivity.waiting_requests(user, institution), catalogue),
        voucher_requests=[named(request) for request in
                          vouchers.waiting_school_requests(institution)],
        open_waves=[w for w in vouchers.open_waves(today) if w.pk not in requested],
        incidents=list(found_incidents[:INCIDENTS_SHOWN]),
        incidents_total=found_incidents.count(),
        documents=assessment.latest_documents(institution),
        alerts=measurements.visible_alerts(user).filter(
            location__institution=institution).count(),
    )
    home.steps = next_steps(home, today)
    return home


def next_steps(home: SchoolHome, today: date) -> list[Step]:
    """What the school should do next, the most pressing first."""
    number = home.institution.number
    steps: list[Step] = []
    label = home.safety.label
    if not home.lines:
        steps.append(Step(_("Your school has no active internet line on record: compose one and "
                            "send the request to a provider."),
                          reverse("connectivity:configure", args=[number]), urgent=True))
    if label is not None and label.valid_until <= today + timedelta(days=LABEL_RENEWAL_DAYS):
        steps.append(Step(_("Your label expires on %(day)s: renew it with a new "
                            "self-assessment.") % {
            "day": formats.date_format(label.valid_until, "DATE_FORMAT")},
            reverse("assessment:overview", args=[number]), urgent=True))
    slow = [m for m in home.lines if m.below_contract]
    if slow:
        steps.append(Step(ngettext(
            "%(count)d line was measured below 80 percent of its contracted speed: raise it "
            "with your provider.",
            "%(count)d lines were measured below 80 percent of their contracted speed: raise "
            "it with your provider.", len(slow)) % {"count": len(slow)},
            reverse("connectivity:school", args=[number]), urgent=True))
    if home.alerts:
        steps.append(Step(ngettext(
            "%(count)d measurement alert is open on your lines: a device gone quiet, a line "
            "below its contract or a backup line never used.",
            "%(count)d measurement alerts are open on your lines: a device gone quiet, a line "
            "below its contract or a backup line never used.", home.alerts)
            % {"count": home.alerts}, reverse("measurements:school", args=[number])))
    if home.verdict is not None and home.verdict.meets is False:
        steps.append(Step(_("Your fastest line is below the connectivity standard for your "
                            "school: compare faster offers."),
                          reverse("connectivity:configure", args=[number])))
    if home.safety.draft:
        steps.append(Step(_("Finish and submit your self-assessment."),
                          reverse("assessment:overview", args=[number])))
    elif home.safety.assessment is None:
        steps.append(Step(_("Start your online-safety self-assessment."),
                          reverse("assessment:overview", args=[number])))
    if home.focus:
        steps.append(Step(ngettext(
            "%(count)d focus action of your plan is still open.",
            "%(count)d focus actions of your plan are still open.", len(home.focus))
            % {"count": len(home.focus)}, reverse("assessment:plan", args=[number])))
    for wave in home.open_waves:
        steps.append(Step(_("A voucher wave is open (%(wave)s): ask for home-internet codes for "
                            "your pupils.") % {"wave": wave_name(wave)},
                          reverse("vouchers:school", args=[number])))
    if home.safety.assessment is not None and not home.documents:
        steps.append(Step(_("Draw up your school's policy documents from your assessment."),
                          reverse("assessment:documents", args=[number])))
    return steps


def named(request: Any) -> Any:
    """A voucher request with its wave's name (`wave_name`) in the page's language."""
    request.wave_name = wave_name(request.wave)
    return request


def wave_name(wave: Any) -> str:
    """A wave's name in the page's language, else its code."""
    named = getattr(wave, f"name_{language()}", "")
    return str(named or wave.code)
