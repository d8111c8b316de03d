"""The incident log's pages under /incidents/. Only the school's number is in the path; an
incident to correct travels as ?id=N (the URL-walking access test fills paths with a school)."""

from django.urls import path

from ictmonitor.incidents import views

app_name = "incidents"

urlpatterns = [
    path("school/<str:number>/", views.log, name="log"),
    path("school/<str:number>/record/", views.record, name="record"),
]
