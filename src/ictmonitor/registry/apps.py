from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.importkinds import ImportKind, register, register_runs, register_tables


class RegistryConfig(AppConfig):
    name = "ictmonitor.registry"
    verbose_name = _("School registry")

    def ready(self) -> None:
        """Register the school lists and pupil counts as import kinds."""
        register(
            ImportKind("schools", _("School list (Flemish or DUO, recognised from its header)"),
                       "ictmonitor.registry.importers.import_school_list"),
            ImportKind("enrolments", _("Pupil counts per location, school year and level"),
                       "ictmonitor.registry.importers.import_enrolments"),
        )
        register_runs({"schools-flanders": _("Flemish school list"),
                       "schools-duo": _("DUO school list"), "enrolments": _("pupil counts")})
        register_tables({"institutions": _("institutions"), "locations": _("locations")})
