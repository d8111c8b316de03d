"""The connectivity pages under /connectivity/."""

from django.urls import path

from ictmonitor.connectivity import views

app_name = "connectivity"

urlpatterns = [
    path("school/<str:number>/", views.school, name="school"),
    path("school/<str:number>/configure/", views.configure, name="configure"),
    path("queue/", views.queue, name="queue"),
    path("upload/", views.upload, name="upload"),
    path("lines/", views.lines, name="lines"),
    path("board/", views.board, name="board"),
]
