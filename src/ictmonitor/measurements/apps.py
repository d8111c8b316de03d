from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.chores import Chore, register_chore
from ictmonitor.core.importkinds import ImportKind, register, register_runs


class MeasurementsConfig(AppConfig):
    name = "ictmonitor.measurements"
    verbose_name = _("Line measurements")

    def ready(self) -> None:
        """Register measurement files as an import kind (core/importkinds.py): a provider
        sends those of its own lines; and the fold of the agents' posts as a chore of every
        worker (core/chores.py)."""
        register(ImportKind("measurements", _("Line measurements"),
                            "ictmonitor.measurements.importers.import_measurements",
                            provider_feed=True))
        register_runs({"measurements": _("line measurements")})
        register_chore(Chore("measurements-inbox", "ictmonitor.measurements.inbox.fold_when_quiet",
                             settings.MEASUREMENTS_FOLD_EVERY))
