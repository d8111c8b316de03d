"""ictmonitor import subscriptions FILE: a provider's connectivity feed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext_noop

from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.core.importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import a provider's connectivity feed (contracts/subscriptions.md), whole or not."
    what = gettext_noop("lines")

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--provider", metavar="CODE",
                            help="refuse lines of any other provider")

    def handle(self, *args: Any, **options: Any) -> None:
        self.provider = options["provider"]
        super().handle(*args, **options)

    def importer(self, path: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """The feed importer, confined to --provider when given."""
        return import_subscriptions(path, provider=self.provider, **kwargs)
