"""The registry's pages under /schools/."""

from django.urls import path

from ictmonitor.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.finder, name="finder"),
    path("overview/", views.overview, name="overview"),
    path("<str:number>/", views.school, name="school"),
]
