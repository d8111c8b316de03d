"""The measuring devices' pages under /measurements/."""

from django.urls import path

from ictmonitor.measurements import views

app_name = "measurements"

urlpatterns = [
    path("devices/<str:number>/", views.devices, name="devices"),
]
