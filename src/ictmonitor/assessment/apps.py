from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "ictmonitor.assessment"
    verbose_name = _("Online-safety self-assessment")
