from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ictmonitor.core"
    verbose_name = "Core"
