from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.importkinds import register_background


class JobsConfig(AppConfig):
    name = "ictmonitor.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        """Let `ictmonitor import KIND FILE --background` queue its file as a job."""
        register_background("ictmonitor.jobs.uploads.queue_file")
