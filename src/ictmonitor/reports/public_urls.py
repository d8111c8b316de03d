"""The published reports under /public/, for anyone: only ever their public version."""

from django.urls import path

from ictmonitor.reports import map_views, views

app_name = "public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("map/", map_views.public_map, name="map"),
    path("map/schools.csv", map_views.public_map_csv, name="map_csv"),
    path("reports/<slug:report_id>/", views.public_report, name="report"),
    path("reports/<slug:report_id>/download.<slug:fmt>", views.public_download, name="download"),
]
