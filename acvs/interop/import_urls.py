from django.urls import path

from . import import_views

urlpatterns = [
    path("imports/", import_views.import_start, name="import_start"),
    path("imports/legacy/", import_views.legacy_start, name="legacy_start"),
    path("imports/<id:pk>/mapping/", import_views.legacy_mapping, name="legacy_mapping"),
    path("imports/<id:pk>/review/", import_views.import_review, name="import_review"),
    path("imports/<id:pk>/", import_views.import_run, name="import_run"),
    path("imports/<id:pk>/commit/", import_views.import_commit, name="import_commit"),
    path("imports/<id:pk>/conflict/", import_views.import_conflict, name="import_conflict"),
]
