from django.urls import path, re_path

from . import import_views, public_views, rights_views, views

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
    path("<id:pk>/emails/<id:email_pk>/deliverable/", views.email_deliverable, name="email_deliverable"),
    path("imports/", import_views.import_start, name="import_start"),
    path("imports/<id:pk>/", import_views.import_run, name="import_run"),
    path("imports/<id:pk>/mapping/", import_views.import_mapping, name="import_mapping"),
    path("imports/<id:pk>/exclude/", import_views.import_exclude, name="import_exclude"),
    path("imports/<id:pk>/commit/", import_views.import_commit, name="import_commit"),
    path("<id:pk>/export.json", rights_views.export_json, name="export_json"),
    path("<id:pk>/export.pdf", rights_views.export_pdf, name="export_pdf"),
    path("<id:pk>/erase/", rights_views.erase, name="erase"),
    path("access-log/", rights_views.access_log, name="access_log"),
    path("keep/<str:token>/", rights_views.keep, name="keep"),
    path("<id:pk>/consent/<id:event_pk>/resend/", views.resend_confirmation, name="resend"),
    path("public/", public_views.public_embed, name="public_embed"),
    path("public/<slug:slug>/", public_views.public_page, name="public"),
    path("confirm/<str:token>/", public_views.confirm, name="confirm"),
]
