"""A user's notifications under /notifications/."""

from django.urls import path

from ictmonitor.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notifications, name="list"),
    path("preferences/", views.preferences, name="preferences"),
]
