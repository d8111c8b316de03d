from collections.abc import Callable
from typing import cast

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import path

from ictmonitor.accounts.access import PUBLIC, access

app_name = "accounts"

# as_view() is typed to return any HttpResponseBase; these two views answer with HttpResponse
# subclasses only (a page, a redirect, 405), which is what access() takes.
HtmlView = Callable[..., HttpResponse]

urlpatterns = [
    path(
        "login/",
        access(PUBLIC)(cast(HtmlView, auth_views.LoginView.as_view(
            template_name="accounts/login.html"))),
        name="login",
    ),
    path("logout/", access(PUBLIC)(cast(HtmlView, auth_views.LogoutView.as_view())),
         name="logout"),
]
