"""The cooperative procurement pages under /procurement/."""

from django.urls import path

from ictmonitor.procurement import views

app_name = "procurement"

urlpatterns = [
    path("", views.simulator, name="simulator"),
    path("pdf/", views.pdf, name="pdf"),
    path("scenarios/", views.scenarios, name="scenarios"),
]
