from django.urls import path, re_path

from . import views

app_name = "observatory"

EXPORT = r"export/(?P<table>[a-z]+)\.(?P<fmt>csv|xlsx)$"

urlpatterns = [
    path("", views.office, name="office"),
    re_path(rf"^{EXPORT}", views.office_export, name="office_export"),
    path("report/", views.office_report, name="office_report"),
    path("quality.xlsx", views.office_quality, name="office_quality"),
    path("department/", views.department, name="department"),
    re_path(rf"^department/{EXPORT}", views.department_export, name="department_export"),
    path("network/", views.network, name="network"),
    re_path(rf"^network/{EXPORT}", views.network_export, name="network_export"),
]
