from django.urls import path, re_path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list, name="list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.contact_export, name="export"),
    path("segments/", views.segment_save, name="segment_save"),
    path("segments/<id:pk>/delete/", views.segment_delete, name="segment_delete"),
    path("new/", views.contact_create, name="create"),
    path("<id:pk>/", views.contact_detail, name="detail"),
    path("<id:pk>/edit/", views.contact_edit, name="edit"),
    path("<id:pk>/consent/", views.consent, name="consent"),
    path("<id:pk>/merge/", views.merge, name="merge"),
]
