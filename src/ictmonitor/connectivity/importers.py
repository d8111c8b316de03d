"""A provider's connectivity feed (contracts/subscriptions.md) on the shared import pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ictmonitor.connectivity.models import Module, Offer, Provider
from ictmonitor.connectivity.quickrows import quick_reader
from ictmonitor.connectivity.services import confirm_requests, date_prices, version_on
from ictmonitor.core import cells
from ictmonitor.core.bulk import (
    BIGINT,
    DATE,
    INT,
    TEXT,
    Counts,
    Stage,
    Upsert,
    fetch,
    quote,
)
from ictmonitor.core.csvfiles import Column, Header
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Contract, Field, Progress, Row, RowReader, run_import
from ictmonitor.core.problems import ProblemList
from ictmonitor.core.slices import RepeatedKeys, check_steps

COLUMNS = ["provider", "contract_id", "schoolnummer", "intern_vplnummer", "offer",
           "download_mbps", "upload_mbps", "modules", "requested_on", "started_on", "ended_on"]


class Subscriptions(Contract):
    """Key: provider + contract_id. A provider may be confined to its own lines."""

    kind = "subscriptions"
    columns = [Column(name, required=name != "intern_vplnummer") for name in COLUMNS]
    stage_columns = [
        ("provider", TEXT), ("contract_id", TEXT), ("institution", TEXT), ("location", TEXT),
        ("offer", TEXT), ("download_mbps", INT), ("upload_mbps", INT), ("modules", BIGINT),
        ("requested_on", DATE), ("started_on", DATE), ("ended_on", DATE),
    ]
    slice_by = "institution"
    merge_tables = ("connectivity_subscription", "connectivity_request")

    def __init__(self, only_provider: str | None = None) -> None:
        self.only_provider = only_provider
        self.providers = set(Provider.objects.values_list("code", flat=True))
        self.offers = dict(Offer.objects.values_list("code", "allows_modules"))
        self.bits = dict(Module.objects.values_list("code", "bit"))
        self.fields = [
            Field("provider", self.provider),
            Field("contract_id", lambda v: cells.text(v, max_length=100, required=True),
                  remember=False),
            Field("schoolnummer", lambda v: cells.text(v, max_length=20, required=True).upper()),
            Field("intern_vplnummer", lambda v: cells.text(v, max_length=20).upper()),
            Field("offer", self.offer),
            Field("download_mbps", cells.whole_number),
            Field("upload_mbps", cells.whole_number),
            Field("modules", self.modules),
            Field("requested_on", cells.iso_date),
            Field("started_on", cells.iso_date),
            Field("ended_on", cells.iso_date),
        ]

    def provider(self, value: str) -> str:
        """A known provider, and the sender's own when it is confined to its lines."""
        if value not in self.providers:
            raise cells.CellError(_("%(value)r is not a known provider"), value=value)
        if self.only_provider and value != self.only_provider:
            raise cells.CellError(_("%(value)r is another provider; you may send only "
                                    "%(own)r lines"), value=value, own=self.only_provider)
        return value

    def offer(self, value: str) -> str:
        """`internet-only` or `managed`."""
        if value not in self.offers:
            raise cells.CellError(_("%(value)r is not one of %(allowed)s"), value=value,
                                  allowed=", ".join(self.offers))
        return value

    def modules(self, value: str) -> int:
        """`firewall|wifi` → the modules' bit mask."""
        mask = 0
        for code in filter(None, (part.strip() for part in value.split("|"))):
            if code not in self.bits:
                raise cells.CellError(_("%(value)r is not a module; modules are %(allowed)s"),
                                      value=code, allowed=", ".join(self.bits))
            mask |= self.bits[code]
        return mask

    def build(self, values: dict[str, Any], row: Row) -> tuple | None:
        """Cross-cell rules: modules only on a managed line; dates in order."""
        v = values
        if v["modules"] and not self.offers[v["offer"]]:
            row.problem("modules", _("an %(offer)s line carries no modules"), offer=v["offer"])
            return None
        dates = [("requested_on", v["requested_on"]), ("started_on", v["started_on"]),
                 ("ended_on", v["ended_on"])]
        known = [(name, day) for name, day in dates if day]
        for (earlier, first), (later, second) in zip(known, known[1:], strict=False):
            if second < first:
                row.problem(later, _("%(later)s is before %(column)s %(earlier)s"),
                            later=str(second), column=earlier, earlier=str(first))
                return None
        return (v["provider"], v["contract_id"], v["schoolnummer"], v["intern_vplnummer"],
                v["offer"], v["download_mbps"], v["upload_mbps"], v["modules"],
                *(day.isoformat() if day else None for _, day in dates))

    def row_reader(self, header: Header, generic: RowReader) -> RowReader | None:
        """Rows of a file with every column are read by quickrows.py (the same outcome)."""
        return quick_reader(self, header, generic)

    def check(self, stage: Stage, problems: ProblemList) -> None:
        """Every line names a known location (empty: the main one); each key appears once.
        In steps over the stage's lines, each told as it ends (core/slices.py)."""
        table = quote(stage.name)
        mains = quote(f"{stage.name}_mains")
        with connection.cursor() as cursor:  # each school's main location, looked up by join
            cursor.execute(f"DROP TABLE IF EXISTS {mains}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {mains} AS SELECT institution, location FROM ("
                f"SELECT i.number AS institution, l.number AS location, row_number() OVER ("
                f"PARTITION BY l.institution_id ORDER BY l.is_main DESC, length(l.number), "
                f"l.number) AS n FROM registry_location l "
                f"JOIN registry_institution i ON i.id = l.institution_id) m WHERE n = 1")
            cursor.execute(f"CREATE UNIQUE INDEX {quote(stage.name + '_mains_key')} "
                           f"ON {mains} (institution)")
        try:
            with RepeatedKeys(stage, ["provider", "contract_id"]) as repeated:
                for after, up_to in check_steps(stage):
                    self._check_locations(table, mains, after, up_to, problems)
                    for line, first in repeated.within(after, up_to):
                        problems.add(line, "contract_id", _("this line is already on line "
                                                            "%(first)s"), first=first)
        finally:
            Stage.drop_table(f"{stage.name}_mains")

    @staticmethod
    def _check_locations(table: str, mains: str, after: int, up_to: int,
                         problems: ProblemList) -> None:
        """An empty location becomes the school's main one (`mains`); a line naming no known
        school, or a location the school does not have, is a problem: the lines in
        (after, up_to]."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET location = m.location FROM {mains} m "
                f"WHERE m.institution = {table}.institution AND {table}.location = '' "
                f"AND {table}.line > %s AND {table}.line <= %s", [after, up_to]
            )
        unknown = fetch(
            f"SELECT s.line, s.institution, s.location, i.id FROM {table} s "
            f"LEFT JOIN registry_institution i ON i.number = s.institution "
            f"LEFT JOIN registry_location l ON l.institution_id = i.id AND l.number = s.location "
            f"WHERE s.line > %s AND s.line <= %s AND l.id IS NULL ORDER BY s.line",
            [after, up_to]
        )
        for line, institution, location, institution_id in unknown:
            if institution_id is None:
                problems.add(line, "schoolnummer", _("%(school)s is not a known school"),
                             school=institution)
            else:
                problems.add(line, "intern_vplnummer",
                             _("school %(school)s has no location %(location)s"),
                             school=institution, location=location)

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        """Write the lines, then confirm the requests this feed answers."""
        now = timezone.now()
        counts = Upsert(
            table="connectivity_subscription", label="connectivity.subscription",
            key=["provider_id", "contract_id"],
            values=["location_id", "offer_id", "download_mbps", "upload_mbps", "modules",
                    "requested_on", "started_on", "ended_on"],
            source=(
                "SELECT s.provider AS provider_id, s.contract_id, "
                "s.provider || '/' || s.contract_id AS audit_key, l.id AS location_id, "
                "s.offer AS offer_id, s.download_mbps, s.upload_mbps, s.modules, "
                "s.requested_on, s.started_on, s.ended_on, "
                f"{version_on('s')} AS catalogue_version_id FROM {quote(stage.name)} s "
                "JOIN registry_institution i ON i.number = s.institution "
                "JOIN registry_location l ON l.institution_id = i.id AND l.number = s.location"
            ),
            count_sql=f"SELECT count(*) FROM {quote(stage.name)}",
            first_only=["catalogue_version_id"],  # a line keeps the version it was priced under
        ).run(run, now)
        date_prices(run, stage.name)
        run.details = {"lines": vars(counts), "requests_confirmed": confirm_requests(run, now)}
        return counts


def import_subscriptions(path: Path, *, actor: str, user: Any = None,
                         provider: str | None = None, progress: Progress | None = None,
                         display_name: str | None = None) -> ImportRun:
    """Import a provider's feed whole, or refuse it whole; `provider` confines it to its lines."""
    return run_import(Subscriptions(provider), path, actor=actor, user=user, progress=progress,
                      display_name=display_name)
