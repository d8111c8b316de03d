"""Every URL of the site. Each view declares its access rule (accounts.access.access)."""

from django.contrib import admin
from django.urls import include, path

from ictmonitor import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("ictmonitor.accounts.urls")),
    path("home/", include("ictmonitor.home.urls")),
    path("schools/", include("ictmonitor.registry.urls")),
    path("connectivity/", include("ictmonitor.connectivity.urls")),
    path("vouchers/", include("ictmonitor.vouchers.urls")),
    path("reports/", include("ictmonitor.reports.urls")),
    path("public/", include("ictmonitor.reports.public_urls")),
    path("imports/", include("ictmonitor.core.urls")),
    path("jobs/", include("ictmonitor.jobs.urls")),
    path("procurement/", include("ictmonitor.procurement.urls")),
    path("assessment/", include("ictmonitor.assessment.urls")),
    path("labels/", include("ictmonitor.assessment.public_urls")),
    path("incidents/", include("ictmonitor.incidents.urls")),
    path("measurements/", include("ictmonitor.measurements.urls")),
    path("notifications/", include("ictmonitor.notifications.urls")),
    path("speedtest/", include("ictmonitor.measurements.speedtest_urls")),
    path("api/v1/", include("ictmonitor.api.urls")),
    path("admin/", admin.site.urls),
]
