from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.importkinds import register_background
from ictmonitor.core.workkinds import register_work_queue


class JobsConfig(AppConfig):
    name = "ictmonitor.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        """Let `ictmonitor import KIND FILE --background` queue its file as a job, and the
        apps' pages queue their registered work."""
        register_background("ictmonitor.jobs.uploads.queue_file")
        register_work_queue("ictmonitor.jobs.uploads.queue_work")
