from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.importkinds import ImportKind, register, register_runs


class AssessmentConfig(AppConfig):
    name = "ictmonitor.assessment"
    verbose_name = _("Online-safety self-assessment")

    def ready(self) -> None:
        """Register the carried-over labels as an import kind."""
        register(ImportKind(
            "labels", _("Online-safety labels carried over from an earlier programme"),
            "ictmonitor.assessment.importers.import_labels"))
        register_runs({"labels": _("carried-over labels")})
