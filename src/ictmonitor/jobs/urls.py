"""The job pages under /jobs/ and the import page."""

from django.urls import path

from ictmonitor.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.jobs, name="jobs"),
    # ?id=N, as the import pages: the URL-walking access test has no job to fill a path with
    path("job/", views.job, name="job"),
    path("job/progress/", views.progress, name="progress"),
    path("job/output/", views.output, name="output"),
    path("upload/", views.upload, name="upload"),
]
