"""Options shared by the report commands: the parameters of reports.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import ReportError, parse_by, parse_day


def add_parameter_options(parser: CommandParser, *, breakdown: bool = True) -> None:
    """--by, --at, --year, --split, --public, --language."""
    if breakdown:
        parser.add_argument("--by", metavar="DIM[,DIM...]", help="dimensions to break down by")
        parser.add_argument("--split", metavar="YYYY-MM-DD",
                            help="the date that splits `period` into before and after")
        parser.add_argument("--year", type=int, metavar="YYYY", help="the year to report on")
        parser.add_argument("--scenario", metavar="NAME|FILE",
                            help="the tariff scenario: a shipped name or a scenario file")
    parser.add_argument("--at", metavar="YYYY-MM-DD",
                        help="evaluate 'active' and 'valid' on this date (default: today)")
    parser.add_argument("--public", action="store_true",
                        help="apply disclosure control, as published")
    parser.add_argument("--language", choices=["nl", "en"], default="nl",
                        help="language of titles and labels (default: nl)")


def parameters_from(options: dict[str, Any], *, public: bool | None = None) -> Parameters:
    """Parameters from the parsed options; CommandError for anything malformed."""
    try:
        at = parse_day(options.get("at"), "at") or timezone.localdate()
        return Parameters(
            by=parse_by(options.get("by")),
            at=at,
            year=options.get("year"),
            split=parse_day(options.get("split"), "split"),
            public=options["public"] if public is None else public,
            language=options["language"],
            options={"scenario": options["scenario"]} if options.get("scenario") else {},
        )
    except ReportError as error:
        raise CommandError(str(error)) from None
