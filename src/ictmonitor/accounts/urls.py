from django.contrib.auth import views as auth_views
from django.urls import path

from ictmonitor.accounts.access import PUBLIC, access

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        access(PUBLIC)(auth_views.LoginView.as_view(template_name="accounts/login.html")),
        name="login",
    ),
    path("logout/", access(PUBLIC)(auth_views.LogoutView.as_view()), name="logout"),
]
