"""The voucher pages under /vouchers/. Waves are chosen with ?wave=CODE, codes posted by id."""

from django.urls import path

from ictmonitor.vouchers.views import department, index, provider, school

app_name = "vouchers"

urlpatterns = [
    path("", index, name="index"),
    path("school/<str:number>/", school.school, name="school"),
    path("school/<str:number>/letters/", school.letters, name="letters"),
    path("waves/", department.waves, name="waves"),
    path("allocation/", department.allocation, name="allocation"),
    path("gap/", department.gap, name="gap"),
    path("reallocation/", department.reallocation, name="reallocation"),
    path("timing/", department.timing, name="timing"),
    path("provider/", provider.provider, name="provider"),
    path("upload/", provider.upload, name="upload"),
]
