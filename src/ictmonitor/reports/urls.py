"""The analysts' report pages under /reports/.

There is one URL per report and format, made from the catalogue, so an unknown report is a 404
before any view runs and every URL here can be listed (tests/test_access_rules.py walks them).
Reverse them by keyword: `{% url 'reports:report' report_id='pupils' %}`,
`{% url 'reports:download' report_id='pupils' fmt='csv' %}`.
"""

from django.urls import path

from ictmonitor.reports import map_views, views
from ictmonitor.reports.engine import catalogue
from ictmonitor.reports.exporters import FORMATS

app_name = "reports"
# Reversed without arguments, as the URL-walking test does, a name gives its last pattern: let
# that be a JSON download, the quickest file to make, not a PDF.
DOWNLOADS = sorted(FORMATS, key=lambda fmt: fmt == "json")

urlpatterns = [path("", views.dashboard, name="dashboard"),
               path("releases/", views.release, name="release"),
               path("pack/", views.pack, name="pack"),
               path("map/", map_views.analyst_map, name="map"),
               path("map/schools.csv", map_views.analyst_map_csv, name="map_csv")]
for report_id in catalogue():
    urlpatterns += [
        path(f"{report_id}/", views.report, {"report_id": report_id}, name="report"),
        *(
            path(f"{report_id}/download.{fmt}", views.download,
                 {"report_id": report_id, "fmt": fmt}, name="download")
            for fmt in DOWNLOADS
        ),
    ]
