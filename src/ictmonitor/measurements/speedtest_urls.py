"""The LibreSpeed-compatible speed-test endpoints under /speedtest/, by LibreSpeed's own names
(garbage.php, empty.php, getIP.php) and without the extension."""

from django.urls import path

from ictmonitor.measurements import speedtest

app_name = "speedtest"

urlpatterns = [
    path("garbage", speedtest.garbage, name="garbage"),
    path("garbage.php", speedtest.garbage, name="garbage-php"),
    path("empty", speedtest.empty, name="empty"),
    path("empty.php", speedtest.empty, name="empty-php"),
    path("getIP", speedtest.get_ip, name="getip"),
    path("getIP.php", speedtest.get_ip, name="getip-php"),
]
