"""A provider's voucher feed (contracts/vouchers.md) on the shared import pipeline."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ictmonitor.connectivity.selectors import provider_codes
from ictmonitor.core import cells
from ictmonitor.core.bulk import DATE, TEXT, Counts, Stage, Upsert, fetch, quote
from ictmonitor.core.csvfiles import Column, Header
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Contract, Field, Progress, Row, RowReader, run_import
from ictmonitor.core.problems import ProblemList
from ictmonitor.core.slices import RepeatedKeys, check_steps
from ictmonitor.vouchers import pseudonyms
from ictmonitor.vouchers.models import RequesterType, Wave
from ictmonitor.vouchers.quickrows import quick_reader
from ictmonitor.vouchers.services import add_waves, link_requests

COLUMNS = ["provider", "code", "requested_by", "requester_id", "schoolnummer", "wave",
           "requested_on", "issued_on", "activated_on", "extended_until", "expires_on",
           "last_used_on", "pupil_ref"]
OPTIONAL = {"schoolnummer", "pupil_ref"}
# Each date may not be before the one it follows; a later one needs the earlier one.
ORDER = [("issued_on", "requested_on"), ("activated_on", "issued_on"),
         ("last_used_on", "activated_on"), ("extended_until", "activated_on"),
         ("expires_on", "issued_on")]
DATES = ["requested_on", "issued_on", "activated_on", "extended_until", "expires_on",
         "last_used_on"]
REQUESTERS = {t.value: t.value for t in RequesterType}
WAVE = re.compile(r"^\d{4}-[a-z0-9][a-z0-9-]{0,34}$")
REFNIS = re.compile(r"^\d{5}$")


def _wave(value: str) -> str:
    """A wave code: the year, a dash, a name (2020-spring)."""
    if not WAVE.match(value):
        raise cells.CellError(_("%(value)r is not a wave code like 2020-spring"), value=value)
    return value


def _iso(value: str) -> str | None:
    """A YYYY-MM-DD date kept as its ISO text: it compares and stages as text."""
    day = cells.iso_date(value)
    return day.isoformat() if day else None


def _pupil_ref(value: str) -> str:
    """A pseudonymous reference; refused (without repeating it) if it looks like an ID."""
    if not value:
        return value
    problem = pseudonyms.problem_with(value)
    if problem:
        raise cells.CellError(problem[0], **problem[1])
    return value


class Vouchers(Contract):
    """Key: provider + code. A provider may be confined to its own codes."""

    kind = "vouchers"
    columns = [Column(name, required=name not in OPTIONAL) for name in COLUMNS]
    stage_columns = [
        ("provider", TEXT), ("code", TEXT), ("requested_by", TEXT), ("requester", TEXT),
        ("school", TEXT), ("wave", TEXT), *((name, DATE) for name in DATES),
        ("pupil_ref", TEXT),
    ]

    def __init__(self, only_provider: str | None = None) -> None:
        self.only_provider = only_provider
        self.providers = provider_codes()
        self.fields = [
            Field("provider", self.provider),
            Field("code", lambda v: cells.text(v, max_length=100, required=True),
                  remember=False),
            Field("requested_by", self.requested_by),
            Field("requester_id", lambda v: cells.text(v, max_length=20, required=True).upper()),
            Field("schoolnummer", lambda v: cells.text(v, max_length=20).upper()),
            Field("wave", _wave),
            *(Field(name, _iso) for name in DATES),
            Field("pupil_ref", _pupil_ref, remember=False),
        ]

    def provider(self, value: str) -> str:
        """A known provider, and the sender's own when it is confined to its codes."""
        if value not in self.providers:
            raise cells.CellError(_("%(value)r is not a known provider"), value=value)
        if self.only_provider and value != self.only_provider:
            raise cells.CellError(_("%(value)r is another provider; you may send only "
                                    "%(own)r codes"), value=value, own=self.only_provider)
        return value

    def requested_by(self, value: str) -> str:
        """`school`, `municipality` or `ocmw`."""
        found = REQUESTERS.get(value.lower())
        if found is None:
            raise cells.CellError(_("%(value)r is not one of %(allowed)s"), value=value,
                                  allowed=", ".join(REQUESTERS))
        return found

    def build(self, values: dict[str, Any], row: Row) -> tuple | None:
        """Cross-cell rules: a municipality is a REFNIS code; the dates are in order."""
        v = values
        if v["requested_by"] != RequesterType.SCHOOL and not REFNIS.match(v["requester_id"]):
            row.problem("requester_id", _("%(value)r is not a REFNIS code of 5 digits, as a "
                                          "%(requester)s needs"),
                        value=v["requester_id"], requester=v["requested_by"])
            return None
        ok = True
        for later, earlier in ORDER:
            if v[later] is None:
                continue
            if v[earlier] is None:
                row.problem(later, _("%(value)s is given but %(column)s is empty"),
                            value=str(v[later]), column=earlier)
                ok = False
            elif v[later] < v[earlier]:
                row.problem(later, _("%(later)s is before %(column)s %(earlier)s"),
                            later=str(v[later]), column=earlier, earlier=str(v[earlier]))
                ok = False
        if not ok:
            return None
        return (v["provider"], v["code"], v["requested_by"], v["requester_id"],
                v["schoolnummer"], v["wave"], *(v[name] for name in DATES), v["pupil_ref"])

    def row_reader(self, header: Header, generic: RowReader) -> RowReader | None:
        """Rows of a file with every column are read by quickrows.py (the same outcome)."""
        return quick_reader(self, header, generic, dates=DATES, order=ORDER, refnis=REFNIS)

    def check(self, stage: Stage, problems: ProblemList) -> None:
        """Every requester and school is known (municipalities current or merged away); each
        code appears once. In steps over the stage's lines, each told as it ends
        (core/slices.py)."""
        with RepeatedKeys(stage, ["provider", "code"]) as repeated:
            for after, up_to in check_steps(stage):
                self._check_requesters(quote(stage.name), after, up_to, problems)
                for line, first in repeated.within(after, up_to):
                    problems.add(line, "code", _("this code is already on line %(first)s"),
                                 first=first)

    @staticmethod
    def _check_requesters(table: str, after: int, up_to: int, problems: ProblemList) -> None:
        """The lines in (after, up_to] whose requester or pupils' school is not known."""
        school = RequesterType.SCHOOL.value
        unknown = fetch(
            f"SELECT s.line, s.requested_by, s.requester, s.school, ri.id, m.code, si.id "
            f"FROM {table} s "
            f"LEFT JOIN registry_institution ri ON s.requested_by = '{school}' "
            f"AND ri.number = s.requester "
            f"LEFT JOIN registry_municipality m ON s.requested_by <> '{school}' "
            f"AND m.code = s.requester "
            f"LEFT JOIN registry_institution si ON si.number = s.school "
            f"WHERE s.line > %s AND s.line <= %s AND ((ri.id IS NULL AND m.code IS NULL) "
            f"OR (s.school <> '' AND si.id IS NULL)) ORDER BY s.line", [after, up_to]
        )
        for line, requested_by, requester, pupil_school, school_id, refnis, pupil_id in unknown:
            if school_id is None and refnis is None:
                problems.add(line, "requester_id",
                             _("%(requester)s is not a known school") if requested_by == school
                             else _("%(requester)s is not a known municipality (REFNIS)"),
                             requester=requester)
            if pupil_school and pupil_id is None:
                problems.add(line, "schoolnummer", _("%(school)s is not a known school"),
                             school=pupil_school)

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Add the waves the feed names, write the codes, then link them to their requests."""
        now = timezone.now()
        codes = [w for (w,) in fetch(f"SELECT DISTINCT wave FROM {quote(stage.name)}")]
        waves = add_waves(codes, run, now)
        # Wait for a hand-out or a reallocation in these waves to finish, and hold them off
        # until this import commits: the merge reads each code's pupil reference and requester
        # once, and would otherwise write back what it read over what they wrote meanwhile.
        # (No key lock: requests for codes in the wave may still be made.)
        list(Wave.objects.select_for_update(no_key=True).filter(code__in=codes).order_by("pk")
             .values_list("pk", flat=True))
        counts = Upsert(
            table="vouchers_voucher", label="vouchers.voucher", key=["provider_id", "code"],
            values=["wave_id", "requested_by", "requester_institution_id",
                    "requester_municipality_id", "school_id", "unit_id", *DATES, "pupil_ref"],
            source=source(stage.name), count_sql=f"SELECT count(*) FROM {quote(stage.name)}",
        ).run(run, now)
        run.details = {"vouchers": vars(counts), "waves_added": waves,
                       "requests_linked": link_requests(run)}
        return counts


def source(stage: str) -> str:
    """The staged codes as voucher rows. A code the department reallocated keeps its new
    requester, and a pupil reference recorded at hand-out stays when the feed sends none."""
    kept = "t.reallocated_at IS NOT NULL"
    school = RequesterType.SCHOOL.value
    pick = {
        "requested_by": "s.requested_by",
        "requester_institution_id": "ri.id",
        "requester_municipality_id": "m.code",
        "school_id": "si.id",
        "unit_id": "COALESCE(si.id, ri.id)",
    }
    columns = ", ".join(f"CASE WHEN {kept} THEN t.{name} ELSE {expression} END AS {name}"
                        for name, expression in pick.items())
    dates = ", ".join(f"s.{name}" for name in DATES)
    return (
        f"SELECT s.provider AS provider_id, s.code, s.provider || '/' || s.code AS audit_key, "
        f"w.id AS wave_id, {columns}, {dates}, "
        f"COALESCE(NULLIF(s.pupil_ref, ''), t.pupil_ref, '') AS pupil_ref "
        f"FROM {quote(stage)} s JOIN vouchers_wave w ON w.code = s.wave "
        f"LEFT JOIN registry_institution ri ON s.requested_by = '{school}' "
        f"AND ri.number = s.requester "
        f"LEFT JOIN registry_municipality m ON s.requested_by <> '{school}' "
        f"AND m.code = s.requester "
        f"LEFT JOIN registry_institution si ON si.number = s.school "
        f"LEFT JOIN vouchers_voucher t ON t.provider_id = s.provider AND t.code = s.code"
    )


def import_vouchers(path: Path, *, actor: str, user: Any = None, provider: str | None = None,
                    progress: Progress | None = None,
                    display_name: str | None = None) -> ImportRun:
    """Import a provider's feed whole, or refuse it whole; `provider` confines it to its codes."""
    return run_import(Vouchers(provider), path, actor=actor, user=user, progress=progress,
                      display_name=display_name)
