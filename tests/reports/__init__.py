"""Report outputs, from results built by hand (no database) and through the catalogue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ictmonitor.core.translation import message as _
from ictmonitor.reports.definitions import RATE, Measure, Parameters, Report, Result

RULE = ("Aantallen van 1 tot 9 leerlingen of vouchers zijn afgeschermd (<10), net als een "
        "tweede cel waaruit ze terug te rekenen zouden zijn.")
PROVINCES = {"antwerpen": "Antwerpen", "limburg": "Limburg", "oost-vlaanderen": "Oost-Vlaanderen",
             "vlaams-brabant": "Vlaams-Brabant", "west-vlaanderen": "West-Vlaanderen"}

VOUCHERS = Report(
    id="voucher-summary",
    title=_("Vouchers"),
    question=_("How many vouchers were requested and activated, per province?"),
    dimensions=("province", "level", "school", "month"),
    measures=(
        Measure("requested", _("requested"), sensitive=True),
        Measure("activated", _("activated"), sensitive=True),
        Measure("activation_rate", _("activation rate"), kind=RATE,
                sensitive=True, rate_of=("activated", "requested")),
    ),
    compute=lambda parameters: ([], {}),
    source=_("The providers' voucher feeds (Telenet, Proximus)"),  # translated
)


def result(rows: list[dict[str, Any]], totals: dict[str, Any], *, by: tuple[str, ...] = (
        "province",), labels: dict[str, dict[str, str]] | None = None, public: bool = False,
        language: str = "nl", report: Report = VOUCHERS) -> Result:
    """A result as run_report would give it, built by hand."""
    return Result(
        report=report,
        parameters=Parameters(by=by, at=date(2021, 3, 1), public=public, language=language),
        generated_at=datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Europe/Brussels")),
        dimensions=list(by), rows=rows, totals=totals,
        labels=labels if labels is not None else {"province": PROVINCES},
        rule=RULE if public else None,
    )


def vouchers(*, public: bool = True, language: str = "nl") -> Result:
    """Vouchers per province; Limburg's small count suppressed, and one more to protect it."""
    rows = [
        {"province": "antwerpen", "requested": 1200, "activated": 960, "activation_rate": 0.8},
        {"province": "limburg", "requested": 410, "activated": None, "activated_flag": "c",
         "activation_rate": None, "activation_rate_flag": "c"},
        {"province": "oost-vlaanderen", "requested": 1000, "activated": None,
         "activated_flag": "c", "activation_rate": None, "activation_rate_flag": "c"},
        {"province": "west-vlaanderen", "requested": 850, "activated": 425,
         "activation_rate": 0.5},
    ]
    totals = {"requested": 3460, "activated": 2090, "activation_rate": 2090 / 3460}
    return result(rows, totals, public=public, language=language)
