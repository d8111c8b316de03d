from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ictmonitor.demo"
    verbose_name = "Demo"
