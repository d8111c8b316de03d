from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.workkinds import WorkKind, register_work


class ReportsConfig(AppConfig):
    name = "ictmonitor.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        """The reports' long work runs as background jobs."""
        register_work(
            WorkKind("report-pack", _("answer pack (PDF)"), "ictmonitor.reports.work.report_pack"),
            WorkKind("publish", _("release"), "ictmonitor.reports.work.publish"),
        )
