"""Every URL of the site. Each view declares its access rule (accounts.access.access)."""

from django.contrib import admin
from django.urls import include, path

from ictmonitor import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("ictmonitor.accounts.urls")),
    path("schools/", include("ictmonitor.registry.urls")),
    path("api/v1/", include("ictmonitor.api.urls")),
    path("admin/", admin.site.urls),
]
