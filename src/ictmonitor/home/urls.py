"""Each role's home under /home/: /home/ shows a signed-in user its own."""

from django.urls import path

from ictmonitor.home import views

app_name = "home"

urlpatterns = [
    path("", views.start, name="start"),
    path("school/", views.my_school, name="school"),
    path("school/<str:number>/", views.school, name="school_of"),
    path("board/", views.board, name="board"),
    path("board/download.csv", views.board_download, {"fmt": "csv"}, name="board_csv"),
    path("board/download.xlsx", views.board_download, {"fmt": "xlsx"}, name="board_xlsx"),
    path("provider/", views.provider, name="provider"),
    path("analyst/", views.analyst, name="analyst"),
]
