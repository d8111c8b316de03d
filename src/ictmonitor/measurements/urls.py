"""The measuring devices' pages under /measurements/."""

from django.urls import path

from ictmonitor.measurements import feeds, quality_views, views

app_name = "measurements"

urlpatterns = [
    path("devices/<str:number>/", views.devices, name="devices"),
    path("upload/", feeds.upload, name="upload"),
    path("school/<str:number>/", quality_views.school, name="school"),
    path("provider/", quality_views.provider, name="provider"),
    path("board/", quality_views.board, name="board"),
    path("alerts/", quality_views.alerts, name="alerts"),
]
