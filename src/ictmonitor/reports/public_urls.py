"""The published reports under /public/, for anyone: only ever their public version."""

from django.urls import path

from ictmonitor.reports import views

app_name = "public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("reports/<slug:report_id>/", views.public_report, name="report"),
    path("reports/<slug:report_id>/download.<slug:fmt>", views.public_download, name="download"),
]
