"""What can be imported as a job: each kind's name on screen, its importer, and whether a
provider may send it (confined to its own rows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ictmonitor.assessment.importers import import_labels
from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.core.models import ImportRun
from ictmonitor.measurements.importers import import_measurements
from ictmonitor.registry.importers import import_enrolments, import_school_list
from ictmonitor.vouchers.importers import import_vouchers


@dataclass(frozen=True)
class ImportKind:
    """One kind of file a job imports."""

    code: str
    label: Any
    importer: Callable[..., ImportRun]
    provider_feed: bool = False  # a provider sends it, confined to its own rows

    def run(self, path: Any, *, provider: str | None, **arguments: Any) -> ImportRun:
        """Import the file; a provider feed confined to `provider` if given."""
        if self.provider_feed:
            arguments["provider"] = provider or None
        return self.importer(path, **arguments)


KINDS: dict[str, ImportKind] = {kind.code: kind for kind in (
    ImportKind("schools", _("School list (Flemish or DUO, recognised from its header)"),
               import_school_list),
    ImportKind("enrolments", _("Pupil counts per location, school year and level"),
               import_enrolments),
    ImportKind("labels", _("Online-safety labels carried over from an earlier programme"),
               import_labels),
    ImportKind("subscriptions", _("Subscription feed"), import_subscriptions,
               provider_feed=True),
    ImportKind("vouchers", _("Voucher feed"), import_vouchers, provider_feed=True),
    ImportKind("measurements", _("Line measurements"), import_measurements,
               provider_feed=True),
)}


def kind_of(code: str) -> ImportKind:
    """The import kind with this code (KeyError if there is none)."""
    return KINDS[code]
