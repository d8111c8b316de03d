from django.apps import AppConfig

from ictmonitor.core.workkinds import WorkKind, register_work


class DemoConfig(AppConfig):
    name = "ictmonitor.demo"
    verbose_name = "Demo"

    def ready(self) -> None:
        """The demo's load at large scales runs as a background job."""
        register_work(WorkKind("demo", "demo", "ictmonitor.demo.work.load"))
