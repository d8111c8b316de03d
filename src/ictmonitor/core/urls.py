"""The import pages and the audit log under /imports/."""

from django.urls import path

from ictmonitor.core import views

app_name = "core"

urlpatterns = [
    path("", views.runs, name="runs"),
    # ?id=N; a path parameter would not do: the URL-walking access test has no import to fill it
    path("run/", views.run, name="run"),
    path("audit/", views.audit, name="audit"),
]
