"""The public label verification pages under /labels/: no login, an unguessable token each."""

from django.urls import path

from ictmonitor.assessment.views import labels

app_name = "labels"

urlpatterns = [
    path("<str:token>/", labels.verify, name="verify"),
]
