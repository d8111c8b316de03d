from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ictmonitor.api"
    verbose_name = "API"
